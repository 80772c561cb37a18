// Access to the Nix output recorded by test/fixtures/build/record.mjs, and a shared Nix parser.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';
import { createNixParser } from '../../../server/src/syntax/parser';

const recordings = join(__dirname, '..', '..', 'fixtures', 'build', 'recordings');

/** The Nix versions something was recorded with, e.g. ['2.26.3', '2.8.0']. */
export function recordedVersions(): string[] {
  const versions = new Set<string>();
  for (const file of readdirSync(recordings)) {
    const match = /\.nix-(\d+\.\d+\.\d+)\.stderr$/.exec(file);
    if (match) versions.add(match[1]);
  }
  return [...versions].sort();
}

export function recordedStderr(scenario: string, version: string): string {
  return readFileSync(join(recordings, `${scenario}.nix-${version}.stderr`), 'utf8');
}

export function recordedStdout(scenario: string, version: string): string {
  return readFileSync(join(recordings, `${scenario}.nix-${version}.stdout`), 'utf8');
}

/** The temporary directory the projects were copied to while recording. */
export function recordedWorkdir(version: string): string {
  return readFileSync(join(recordings, `workdir.nix-${version}.txt`), 'utf8').trim();
}

let parser: Promise<Parser> | undefined;

export async function parseNix(text: string): Promise<Tree> {
  parser ??= createNixParser();
  const tree = (await parser).parse(text);
  if (!tree) throw new Error('no tree');
  return tree;
}
