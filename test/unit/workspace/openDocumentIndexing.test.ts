// Open documents are indexed again after typing pauses: short ones from the server's own analysis,
// longer ones in the worker — except those too long for a second parse and analysis beside the
// server's own: they are indexed from the server's analysis when a request needs them.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from '../../../server/src/analysis/analysis';
import { defaultBuiltins } from '../../../server/src/analysis/builtins';
import { NixDocument } from '../../../server/src/syntax/document';
import { IN_THREAD_TEXT_LIMIT, WORKER_TEXT_LIMIT, WorkspaceSync } from '../../../server/src/workspaceSync';
import { nixParser } from '../../support/parse';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A set of `count` bindings, `name0 = 0; …`, padded by a comment to at least `length` characters. */
function setOf(count: number, length = 0): string {
  const body = Array.from({ length: count }, (_, i) => `name${i} = ${i};`).join(' ');
  return `{ ${body} }\n# ${'x'.repeat(Math.max(0, length - body.length))}\n`;
}

describe('WorkspaceSync, open documents', () => {
  it('re-reads a changed document after typing pauses, a short one from its analysis, unless it is over the limit', async () => {
    const parser = await nixParser();
    const documents = new Map<string, NixDocument>();
    let analysed = 0;
    const sync = new WorkspaceSync({
      parser,
      builtins: () => defaultBuiltins,
      maxFileSize: () => 10_000_000,
      analysisOf: (document) => {
        analysed++;
        return analyzeTree(document.tree, document.content);
      },
      openDocument: (uri) => documents.get(uri),
      optionsChanged: () => undefined,
      log: () => undefined,
      workerScript: '',
    });
    try {
      const small = new NixDocument('file:///ws/small.nix', 1, setOf(3), parser);
      const medium = new NixDocument('file:///ws/medium.nix', 1, setOf(4, IN_THREAD_TEXT_LIMIT + 1), parser);
      const large = new NixDocument('file:///ws/large.nix', 1, setOf(2, WORKER_TEXT_LIMIT + 1), parser);
      for (const document of [small, medium, large]) {
        documents.set(document.uri, document);
        sync.documentChanged(document.uri);
      }
      await sleep(700);
      expect(sync.index.get(small.uri)?.declarations.names.map((n) => n.name)).toEqual(['name0', 'name1', 'name2']);
      expect(sync.index.get(medium.uri)?.declarations.names.map((n) => n.name)).toEqual(['name0', 'name1', 'name2', 'name3']);
      expect(sync.index.get(large.uri)).toBeUndefined();
      // The short one from its analysis (which its diagnostics make anyway), the medium one read anew.
      expect(analysed).toBe(1);
      // A request that needs it reads it from the server's analysis, and it is in the index then.
      expect(sync.declarationsOf(large).names.map((n) => n.name)).toEqual(['name0', 'name1']);
      expect(analysed).toBe(2);
      expect(sync.index.get(large.uri)?.declarations.names.map((n) => n.name)).toEqual(['name0', 'name1']);
      // Asked again for the same versions: nothing is analysed again.
      sync.declarationsOf(small);
      sync.declarationsOf(large);
      expect(analysed).toBe(2);
      for (const document of [small, medium, large]) document.dispose();
    } finally {
      sync.dispose();
    }
  });
});
