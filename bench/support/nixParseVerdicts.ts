// What `nix-instantiate --parse` says of each file: accepted, or rejected with its message.
//
// One process per file would take minutes over a whole nixpkgs, so files are given to Nix by the
// hundred. Nix stops at the first file it rejects and names it in its message; the files before it
// were accepted, and the rest of the batch goes again. Verdicts are kept in `.cache/`, by Nix
// version and file content, so a second run asks Nix only about files that changed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NixVerdict {
  accepted: boolean;
  /** Nix's message (its first line) when rejected. */
  message?: string;
}

/** Files given to one `nix-instantiate --parse` (kept well under the argument-length limit). */
const BATCH_SIZE = 400;

interface RunResult {
  code: number | null;
  stderr: string;
}

function run(command: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Nix prints every parsed expression: nobody reads it.
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The installed Nix's version (`2.8.0`), or undefined when there is none. */
export async function nixVersion(nixInstantiate: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(nixInstantiate, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? /(\d+\.\d+(?:\.\d+)?)/.exec(out)?.[1] : undefined));
  });
}

/** Nix's message without the `error:` prefix and the position lines. */
function firstLine(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim().length > 0) ?? stderr;
  return line.replace(/^error:\s*/, '').trim();
}

/** Which of `files` Nix's error names; the longest match wins (`a/x.nix` is inside `b/a/x.nix`). */
function namedFile(stderr: string, files: readonly string[]): number {
  let best = -1;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    if ((stderr.includes(`${file}:`) || stderr.includes(`${file}'`)) && (best < 0 || file.length > files[best]!.length)) best = i;
  }
  return best;
}

async function judgeBatch(nixInstantiate: string, files: readonly string[], verdicts: Map<string, NixVerdict>): Promise<void> {
  let rest = files;
  while (rest.length > 0) {
    const { code, stderr } = await run(nixInstantiate, ['--parse', ...rest]);
    if (code === 0) {
      for (const file of rest) verdicts.set(file, { accepted: true });
      return;
    }
    const failed = namedFile(stderr, rest);
    if (failed < 0) {
      // A message that names none of the files: ask about each alone.
      if (rest.length === 1) {
        verdicts.set(rest[0]!, { accepted: false, message: firstLine(stderr) });
        return;
      }
      for (const file of rest) await judgeBatch(nixInstantiate, [file], verdicts);
      return;
    }
    for (const file of rest.slice(0, failed)) verdicts.set(file, { accepted: true });
    verdicts.set(rest[failed]!, { accepted: false, message: firstLine(stderr) });
    rest = rest.slice(failed + 1);
  }
}

/**
 * Nix's verdict on every file (absolute paths), asked of Nix only for contents not in the cache
 * at `cacheDir`. `progress` hears how many files are left to ask about.
 */
export async function nixParseVerdicts(
  nixInstantiate: string,
  version: string,
  files: readonly string[],
  cacheDir: string,
  progress: (left: number) => void = () => undefined,
): Promise<Map<string, NixVerdict>> {
  mkdirSync(cacheDir, { recursive: true });
  const cacheFile = join(cacheDir, `nix-${version}.json`);
  const cached: Record<string, NixVerdict> = existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, NixVerdict>) : {};
  const hashOf = new Map<string, string>();
  const result = new Map<string, NixVerdict>();
  const unknown: string[] = [];
  for (const file of files) {
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
    hashOf.set(file, hash);
    const verdict = cached[hash];
    if (verdict) result.set(file, verdict);
    else unknown.push(file);
  }
  for (let i = 0; i < unknown.length; i += BATCH_SIZE) {
    progress(unknown.length - i);
    const fresh = new Map<string, NixVerdict>();
    await judgeBatch(nixInstantiate, unknown.slice(i, i + BATCH_SIZE), fresh);
    for (const [file, verdict] of fresh) {
      result.set(file, verdict);
      cached[hashOf.get(file)!] = verdict;
    }
  }
  if (unknown.length > 0) writeFileSync(cacheFile, JSON.stringify(cached));
  return result;
}
