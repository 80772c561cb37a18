import { describe, expect, it } from 'vitest';
import type { KnowledgeQueries } from '../../../server/src/features/knowledgeQueries';
import { curriedTypes, signatureHelp } from '../../../server/src/features/signatureHelp';
import type { LibInfo } from '../../../server/src/knowledge/libIndex';
import { analyze, cursor } from '../analysis/nixSnippets';

const LIB: Record<string, LibInfo> = {
  concatStringsSep: { path: ['concatStringsSep'], kind: 'function', args: ['sep', 'list'], doc: 'Concatenates with a separator.', docStyle: 'markdown' },
  'strings.optionalString': { path: ['strings', 'optionalString'], kind: 'function', type: 'optionalString :: bool -> string -> string' },
  mkOption: { path: ['mkOption'], kind: 'function', formals: [{ name: 'type', optional: true }, { name: 'default', optional: true }] },
  version: { path: ['version'], kind: 'value' },
};
const knowledge = { lookupLib: (path: readonly string[]) => LIB[path.join('.')] } as unknown as KnowledgeQueries;

/** The signature at the `|` cursor as its label with the active parameter in [brackets]; null when none. */
async function help(marked: string): Promise<string | null> {
  const { text, offset } = cursor(marked);
  const result = signatureHelp(await analyze(text), offset, knowledge);
  if (!result) return null;
  const signature = result.signatures[0]!;
  const [start, end] = signature.parameters![result.activeParameter!]!.label as [number, number];
  return `${signature.label.slice(0, start)}[${signature.label.slice(start, end)}]${signature.label.slice(end)}`;
}

describe('signature help', () => {
  it('highlights the current curried argument of a builtin', async () => {
    expect(await help('map |')).toBe('map [f] list');
    expect(await help('map (x: x) |')).toBe('map f [list]');
    expect(await help('map (x: x) [ 1 |]')).toBe(null);
    expect(await help('map (x: x) [ 1 ]|')).toBe('map f [list]');
    expect(await help('map |(x: x) [ 1 ]')).toBe('map [f] list');
    expect(await help('builtins.foldl\' (a: b: a) 0 |')).toBe("builtins.foldl' op nul [list]");
    expect(await help('builtins.elem |')).toBe('builtins.elem [x] xs');
  });

  it('gives nothing on the function itself, inside a nested expression or past the last argument', async () => {
    expect(await help('ma|p f')).toBe(null);
    expect(await help('map (x: |x) [ ]')).toBe(null);
    expect(await help('map f [ ] |')).toBe(null);
    expect(await help('let map = a: a; in map |')).toBe(null);
    expect(await help('[ map | ]')).toBe(null);
  });

  it('knows lib functions by their argument names, type line or formals', async () => {
    expect(await help('{ lib }: lib.concatStringsSep ", " |')).toBe('lib.concatStringsSep sep [list]');
    expect(await help('{ pkgs }: pkgs.lib.concatStringsSep |')).toBe('lib.concatStringsSep [sep] list');
    expect(await help('{ lib }: with lib; strings.optionalString true |')).toBe('optionalString :: bool -> [string] -> string');
    expect(await help('{ lib }: lib.mkOption |')).toBe('lib.mkOption [{ type ? …, default ? … }]');
    expect(await help('{ lib }: lib.version |')).toBe(null);
  });

  it('splits a type line at its top-level arrows only', () => {
    const type = 'foldl :: (b -> a -> b) -> b -> [a] -> b';
    expect(curriedTypes(type)!.map((t) => type.slice(t.start, t.end))).toEqual(['(b -> a -> b)', 'b', '[a]', 'b']);
  });
});
