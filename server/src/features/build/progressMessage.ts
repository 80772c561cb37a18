// Turns the state of a running build into the one line a progress notification shows:
// "Building 2/5: app-1.0 — buildPhase", "Downloading 3/7: hello-2.12", "Evaluating…".
import type { BuildActivitySnapshot } from '../../nix/buildActivity';

export interface ProgressLine {
  message: string;
  /** 0–100, when Nix has said how much there is to do. */
  percentage?: number;
}

export function describeProgress(snapshot: BuildActivitySnapshot): ProgressLine {
  const { builds, copies } = snapshot;
  const total = builds.expected + copies.expected;
  const percentage = total > 0 ? Math.min(100, Math.floor(((builds.done + copies.done) / total) * 100)) : undefined;

  const building = snapshot.runningBuilds;
  if (building.length > 0) {
    const latest = building[building.length - 1];
    const expected = Math.max(builds.expected, builds.done + building.length, 1);
    const index = Math.min(builds.done + 1, expected);
    const phase = latest.phase ? ` — ${latest.phase}` : '';
    const others = building.length > 1 ? ` (+${building.length - 1} more)` : '';
    return { message: `Building ${index}/${expected}: ${latest.name}${phase}${others}`, percentage };
  }

  const fetching = snapshot.runningTransfers;
  if (fetching.length > 0) {
    const latest = fetching[fetching.length - 1];
    const expected = Math.max(copies.expected, copies.done + 1);
    const index = Math.min(copies.done + 1, expected);
    const bytes = snapshot.downloadBytes.expected > 0 ? ` (${formatBytes(snapshot.downloadBytes.done)} of ${formatBytes(snapshot.downloadBytes.expected)})` : '';
    return { message: `Downloading ${index}/${expected}: ${latest.label}${bytes}`, percentage };
  }

  if (snapshot.realising) {
    if (builds.expected > 0) return { message: `Built ${builds.done}/${builds.expected}`, percentage };
    return { message: 'Preparing…', percentage };
  }
  return { message: 'Evaluating…' };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
