// Follows a build through Nix's activity stream: how many derivations are built of how many, which
// ones are running and in which phase, how many store paths are being downloaded, and which build
// log line belongs to which derivation. It only keeps state; presenting it is the caller's job.
import {
  ActivityType,
  ResultType,
  type ActivityId,
  type LogField,
  type NixLogEvent,
} from './internalJson';

export interface Counts {
  done: number;
  expected: number;
  running: number;
  failed: number;
}

export interface RunningBuild {
  id: ActivityId;
  /** `/nix/store/…-name.drv` */
  drvPath: string;
  /** The derivation name, e.g. `app-1.0`. */
  name: string;
  /** The last phase the builder announced (`buildPhase`), if it announces phases. */
  phase?: string;
}

export interface RunningTransfer {
  id: ActivityId;
  /** What is being fetched: a store path name or a URL. */
  label: string;
}

export interface BuildActivitySnapshot {
  /** Derivations to build (Nix's `Builds` activity). */
  builds: Counts;
  /** Store paths to copy in, typically from a binary cache (Nix's `CopyPaths` activity). */
  copies: Counts;
  /** Bytes downloaded so far and expected, summed over file transfers. */
  downloadBytes: { done: number; expected: number };
  /** Builds in progress, oldest first. */
  runningBuilds: RunningBuild[];
  /** Substitutions and downloads in progress, oldest first. */
  runningTransfers: RunningTransfer[];
  /** True once Nix has started realising (building or fetching) anything. */
  realising: boolean;
}

/** What an event meant, for callers that react to more than the counters. */
export type ActivityUpdate =
  | { kind: 'log'; text: string; derivation?: RunningBuild }
  | { kind: 'progress' }
  | { kind: 'none' };

interface Activity {
  type: number;
  text: string;
  fields: LogField[];
}

const emptyCounts = (): Counts => ({ done: 0, expected: 0, running: 0, failed: 0 });

/** `/nix/store/<hash>-name.drv` → `name` (or the input, if it is not a store path). */
export function derivationName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const withoutHash = /^[0-9a-z]{32}-(.*)$/.exec(base)?.[1] ?? base;
  return withoutHash.endsWith('.drv') ? withoutHash.slice(0, -'.drv'.length) : withoutHash;
}

export class BuildActivityTracker {
  private readonly activities = new Map<ActivityId, Activity>();
  private readonly builds = new Map<ActivityId, RunningBuild>();
  private readonly transfers = new Map<ActivityId, RunningTransfer>();
  private readonly transferBytes = new Map<ActivityId, { done: number; expected: number }>();
  private finishedBytes = 0;
  private buildCounts = emptyCounts();
  private copyCounts = emptyCounts();
  private realising = false;
  /** The last lines each derivation logged, so a failure can show its own tail. */
  private readonly tails = new Map<string, string[]>();

  constructor(private readonly tailLength = 30) {}

  apply(event: NixLogEvent): ActivityUpdate {
    switch (event.action) {
      case 'start':
        return this.start(event.id, event.type, event.text, event.fields);
      case 'stop':
        return this.stop(event.id);
      case 'result':
        return this.result(event.id, event.type, event.fields);
      default:
        return { kind: 'none' };
    }
  }

  snapshot(): BuildActivitySnapshot {
    let done = this.finishedBytes;
    let expected = this.finishedBytes;
    for (const bytes of this.transferBytes.values()) {
      done += bytes.done;
      expected += Math.max(bytes.expected, bytes.done);
    }
    return {
      builds: { ...this.buildCounts },
      copies: { ...this.copyCounts },
      downloadBytes: { done, expected },
      runningBuilds: [...this.builds.values()].map((build) => ({ ...build })),
      runningTransfers: [...this.transfers.values()].map((transfer) => ({ ...transfer })),
      realising: this.realising,
    };
  }

  /** The last log lines of one derivation (by `.drv` path), oldest first. */
  tailOf(drvPath: string): string[] {
    return [...(this.tails.get(drvPath) ?? [])];
  }

  private start(id: ActivityId, type: number, text: string, fields: LogField[]): ActivityUpdate {
    this.activities.set(id, { type, text, fields });
    switch (type) {
      case ActivityType.Realise:
      case ActivityType.Builds:
      case ActivityType.CopyPaths:
        this.realising = true;
        return { kind: 'progress' };
      case ActivityType.Build: {
        const drvPath = typeof fields[0] === 'string' ? fields[0] : (/'([^']+\.drv)'/.exec(text)?.[1] ?? '');
        this.builds.set(id, { id, drvPath, name: derivationName(drvPath) });
        this.realising = true;
        return { kind: 'progress' };
      }
      case ActivityType.Substitute:
      case ActivityType.CopyPath: {
        const path = typeof fields[0] === 'string' ? fields[0] : text;
        this.transfers.set(id, { id, label: derivationName(path) });
        return { kind: 'progress' };
      }
      case ActivityType.FileTransfer: {
        const url = typeof fields[0] === 'string' ? fields[0] : text;
        this.transfers.set(id, { id, label: url });
        return { kind: 'progress' };
      }
      default:
        return { kind: 'none' };
    }
  }

  private stop(id: ActivityId): ActivityUpdate {
    const activity = this.activities.get(id);
    this.activities.delete(id);
    if (!activity) return { kind: 'none' };
    this.builds.delete(id);
    this.transfers.delete(id);
    const bytes = this.transferBytes.get(id);
    if (bytes) {
      this.finishedBytes += bytes.done;
      this.transferBytes.delete(id);
    }
    return activity.type === ActivityType.Build ||
      activity.type === ActivityType.Substitute ||
      activity.type === ActivityType.CopyPath ||
      activity.type === ActivityType.FileTransfer
      ? { kind: 'progress' }
      : { kind: 'none' };
  }

  private result(id: ActivityId, type: number, fields: LogField[]): ActivityUpdate {
    const activity = this.activities.get(id);
    switch (type) {
      case ResultType.BuildLogLine:
      case ResultType.PostBuildLogLine: {
        const text = typeof fields[0] === 'string' ? fields[0] : '';
        const derivation = this.builds.get(id);
        if (derivation) this.remember(derivation.drvPath, text);
        return { kind: 'log', text, derivation: derivation && { ...derivation } };
      }
      case ResultType.SetPhase: {
        const build = this.builds.get(id);
        if (!build || typeof fields[0] !== 'string') return { kind: 'none' };
        build.phase = fields[0];
        return { kind: 'progress' };
      }
      case ResultType.Progress: {
        if (!activity) return { kind: 'none' };
        const [done, expected, running, failed] = fields.map((field) => (typeof field === 'number' ? field : 0));
        const counts = { done: done ?? 0, expected: expected ?? 0, running: running ?? 0, failed: failed ?? 0 };
        if (activity.type === ActivityType.Builds) this.buildCounts = counts;
        else if (activity.type === ActivityType.CopyPaths) this.copyCounts = counts;
        else if (activity.type === ActivityType.FileTransfer) this.transferBytes.set(id, { done: counts.done, expected: counts.expected });
        else return { kind: 'none' };
        return { kind: 'progress' };
      }
      default:
        return { kind: 'none' };
    }
  }

  private remember(drvPath: string, line: string): void {
    let tail = this.tails.get(drvPath);
    if (!tail) this.tails.set(drvPath, (tail = []));
    tail.push(line);
    if (tail.length > this.tailLength) tail.shift();
  }
}
