// The index builder in a child process, as the server runs it to keep a build's memory out of its
// own heap: the entry script is bundled here the way the build bundles it.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcessExecutor } from '../../../server/src/knowledge/buildExecutor';
import { CancelledError, KnowledgeInputError } from '../../../server/src/knowledge/errors';
import { IndexFile } from '../../../server/src/knowledge/indexFile';
import { NurRepoIndex } from '../../../server/src/knowledge/nurRepoIndex';
import { fixture, removeTemporaryDirectories, repoRoot, sharedData, temporaryDirectory } from './testSetup';

let script: string;

beforeAll(async () => {
  script = join(temporaryDirectory(), 'indexBuildMain.cjs');
  await build({
    entryPoints: [join(repoRoot, 'server', 'src', 'knowledge', 'indexBuildMain.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
});

afterAll(removeTemporaryDirectories);

describe('childProcessExecutor', () => {
  it('builds an index in a child process and reports progress', async () => {
    const output = join(temporaryDirectory(), 'repos.nnix');
    const progress: number[] = [];
    const result = await childProcessExecutor({ script }).run(
      { converter: 'nur-repos', input: { type: 'file', path: join(sharedData, 'nur', 'repos.json') }, output, identity: { origin: 'file', location: 'repos' } },
      { onProgress: (done) => progress.push(done) },
    );
    expect(result).toMatchObject({ status: 'built', header: { count: 563, kind: 'nur-repos' } });
    expect(new NurRepoIndex(IndexFile.open(output)).lookup('mic92')?.githubContact).toBe('Mic92');
    expect(progress.length).toBeGreaterThan(0);
  });

  it('passes warnings through and errors back as the same kind of error', async () => {
    const warnings: string[] = [];
    const output = join(temporaryDirectory(), 'p.nnix');
    await childProcessExecutor({ script }).run(
      { converter: 'packages', input: { type: 'file', path: fixture('nix-2.8-dangling.json') }, output, identity: { origin: 'file', location: 'x' } },
      { onWarning: (w) => warnings.push(w) },
    );
    expect(warnings).toHaveLength(2);

    const bad = join(temporaryDirectory(), 'bad.json');
    writeFileSync(bad, '{ "a": { "pname": "a" }, "b": ');
    const attempt = childProcessExecutor({ script }).run({ converter: 'packages', input: { type: 'file', path: bad }, output, identity: { origin: 'file', location: 'bad' } });
    await expect(attempt).rejects.toThrowError(KnowledgeInputError);
    await expect(attempt).rejects.toThrowError(/ends early at byte 30/);
  });

  it('stops the child when cancelled', async () => {
    const abort = new AbortController();
    const attempt = childProcessExecutor({ script }).run(
      {
        converter: 'packages',
        input: { type: 'file', path: join(sharedData, 'nixpkgs', 'packages.json.br') },
        output: join(temporaryDirectory(), 'p.nnix'),
        identity: { origin: 'file', location: 'big' },
      },
      { signal: abort.signal },
    );
    setTimeout(() => abort.abort(), 300);
    await expect(attempt).rejects.toThrowError(CancelledError);
  });
});
