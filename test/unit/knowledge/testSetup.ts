// Shared setup for the knowledge tests: paths to fixtures and shared data, temporary
// directories, and building an index from bytes in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { converterFor, type ConverterName } from '../../../server/src/knowledge/buildJob';
import { buildIndex } from '../../../server/src/knowledge/indexBuilder';
import { IndexFile } from '../../../server/src/knowledge/indexFile';

export const repoRoot = join(__dirname, '..', '..', '..');
export const fixtures = join(repoRoot, 'test', 'fixtures', 'knowledge');
export { sharedData } from '../../support/sharedData';

export function fixture(name: string): string {
  return join(fixtures, name);
}

const made: string[] = [];

/** A fresh temporary directory, removed by `removeTemporaryDirectories`. */
export function temporaryDirectory(prefix = 'nix-nur-knowledge-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTemporaryDirectories(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Yields `bytes` in chunks of `size` bytes (1 exercises every chunk boundary). */
export async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Builds an index from bytes and opens it. */
export async function buildFromBytes(converter: ConverterName, bytes: Buffer, options: { chunkSize?: number; dir?: string } = {}) {
  const output = join(options.dir ?? temporaryDirectory(), `${converter}.nnix`);
  const warnings: string[] = [];
  const result = await buildIndex(chunksOf(bytes, options.chunkSize ?? 1 << 16), {
    converter: converterFor(converter),
    output,
    identity: { origin: 'file', location: 'test' },
    onWarning: (w) => warnings.push(w),
  });
  return { file: IndexFile.open(output), result, warnings, output };
}
