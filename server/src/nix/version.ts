// Which Nix is installed, and what its command line can do. Features differ by version, so every
// argument vector that depends on one asks here instead of guessing.
import { runProcess, type ProcessOptions } from './process';

export interface NixVersion {
  major: number;
  minor: number;
  patch: number;
  /** As printed, e.g. `nix (Nix) 2.26.3`. */
  text: string;
}

/** Parses the first line of `nix --version` (`nix (Nix) 2.8.0`, `nix (Determinate Nix 3.6.2) 2.29.0`). */
export function parseNixVersion(output: string): NixVersion | undefined {
  const line = output.split('\n', 1)[0].trim();
  const match = /(\d+)\.(\d+)(?:\.(\d+))?\S*\s*$/.exec(line);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0), text: line };
}

export function atLeast(version: NixVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/** What the installed Nix understands; argv builders consult this, never the raw version. */
export interface NixCapabilities {
  version: NixVersion;
  /** `nix flake update NAME` (2.19+) rather than `nix flake lock --update-input NAME`. */
  flakeUpdateTakesInputs: boolean;
  /** `nix build --print-out-paths` (2.11+). */
  printOutPaths: boolean;
}

export function capabilitiesOf(version: NixVersion): NixCapabilities {
  return {
    version,
    flakeUpdateTakesInputs: atLeast(version, 2, 19),
    printOutPaths: atLeast(version, 2, 11),
  };
}

/** Runs `nix --version`; undefined when `nix` is missing or prints something unexpected. */
export async function detectNix(nixPath = 'nix', options: ProcessOptions = {}): Promise<NixCapabilities | undefined> {
  try {
    const result = await runProcess(nixPath, ['--version'], { timeoutMs: 10_000, ...options });
    if (result.code !== 0) return undefined;
    const version = parseNixVersion(result.stdout);
    return version && capabilitiesOf(version);
  } catch {
    return undefined;
  }
}
