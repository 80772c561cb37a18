// Semantic token deltas over stdio while a real nixpkgs file is edited at random: names typed and
// deleted, strings typed in, binding lines deleted and pasted, syntax broken and repaired. After
// each edit, the delta applied to the previous result must equal the whole tokens of the same text
// asked for afresh (in a document of its own, so nothing is carried over from earlier versions).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SemanticTokens, SemanticTokensDelta } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';
import { applyEdit, randomEdits } from '../support/randomNixEdits';
import { seededRandom } from '../support/random';
import { realNixFiles, realNixFilesAvailable } from '../support/realNixFiles';

function positionOf(text: string, offset: number) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe.skipIf(!realNixFilesAvailable())('semantic token deltas while editing real files', () => {
  const root = mkdtempSync(join(tmpdir(), 'nix-nur-token-deltas-'));
  let client: TestClient;

  beforeAll(async () => {
    ({ client } = await TestClient.start({
      initializationOptions: {
        cacheDirectory: join(root, 'cache'),
        trusted: false,
        nixNur: { offline: true, nixpkgs: { packages: '' }, nixos: { options: '' }, homeManager: { options: '' }, nur: { repos: '', packages: '' } },
      },
    }));
  }, 60_000);
  afterAll(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  let checks = 0;
  /** The whole tokens of `text` in a document opened just for the question. */
  async function freshTokens(text: string, name: string): Promise<number[]> {
    const uri = pathToFileURL(join(root, `check-${++checks}`, name)).href;
    await client.open(uri, text);
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    await client.close(uri);
    return tokens.data;
  }

  for (const [path, seed, count] of [
    ['pkgs/by-name/he/hello/package.nix', 21, 80],
    ['nixos/modules/services/web-servers/nginx/default.nix', 22, 40],
  ] as const) {
    it(`keeps deltas equal to fresh tokens in ${basename(path)}`, async () => {
      let text = realNixFiles([path])[0]!.text;
      const uri = pathToFileURL(join(root, 'edited', basename(path))).href;
      await client.open(uri, text);
      let result = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
      expect(result.data).toEqual(await freshTokens(text, basename(path)));
      let version = 1;
      let edits = 0;
      let step = 0;
      for (const edit of randomEdits(text, seededRandom(seed), count)) {
        step++;
        const range = { start: positionOf(text, edit.from), end: positionOf(text, edit.to) };
        text = applyEdit(text, edit);
        await client.change(uri, ++version, [{ range, text: edit.insert }]);
        const delta = await client.request<SemanticTokens | SemanticTokensDelta>('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: result.resultId });
        let data: number[];
        if ('edits' in delta) {
          edits++;
          data = [...result.data];
          for (const change of [...delta.edits].sort((a, b) => b.start - a.start)) data.splice(change.start, change.deleteCount, ...(change.data ?? []));
        } else {
          data = delta.data;
        }
        expect(data, `step ${step}: ${edit.kind} at ${edit.from} (${JSON.stringify(edit.insert)})`).toEqual(await freshTokens(text, basename(path)));
        result = { resultId: delta.resultId, data };
      }
      expect(edits).toBe(step);
      await client.close(uri);
    }, 180_000);
  }
});

