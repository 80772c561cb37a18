// A file's declarations keep the ranges of their many entries as integers; what a request reads
// (`range`) is the same LSP range as before, also after the entries crossed from the workspace
// index's worker thread (a structured clone keeps their fields, not their class).
import { describe, expect, it } from 'vitest';
import { analyzeTree } from '../../../server/src/analysis/analysis';
import { fileDeclarations, revivedDeclarations, type FileDeclarations } from '../../../server/src/analysis/fileDeclarations';
import { LineIndex } from '../../../server/src/analysis/lineIndex';
import { parseNix } from '../../support/parse';

const text = `{ config, lib, ... }:
let
  helper = x: x;
in {
  imports = [ ./hardware.nix ];
  options.my.backup.enable = lib.mkEnableOption "backups";
  config.services.nginx.enable = config.my.backup.enable;
  packages = { hello = 1; };
}
`;

async function declarations(): Promise<FileDeclarations> {
  const tree = await parseNix(text);
  try {
    return fileDeclarations(analyzeTree(tree, text), '/project/module.nix');
  } finally {
    tree.delete();
  }
}

/** Every entry as plain data: what it names and the text its range covers. */
function described(found: FileDeclarations) {
  const lines = new LineIndex(text);
  const covered = (range: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
  return {
    names: found.names.map((n) => ({ name: n.name, kind: n.kind, value: n.value, range: n.range, text: covered(n.range) })),
    optionNames: found.optionNames.map((n) => ({ path: n.path.join('.'), role: n.role, range: n.range, text: covered(n.range) })),
    paths: found.paths.map((p) => ({ text: p.text, range: p.range, covered: covered(p.range) })),
  };
}

describe('compact ranges', () => {
  it('give each entry the range of its text', async () => {
    const found = described(await declarations());
    expect(found.paths).toEqual([{ text: './hardware.nix', range: { start: { line: 4, character: 14 }, end: { line: 4, character: 28 } }, covered: './hardware.nix' }]);
    expect(found.names.map((n) => [n.name, n.text])).toContainEqual(['helper', 'helper']);
    expect(found.optionNames.filter((n) => n.role === 'declaration').map((n) => n.text)).toEqual(['my', 'backup', 'enable']);
    for (const name of found.optionNames) expect(name.path.endsWith(name.text)).toBe(true);
  });

  it('read the same after a structured clone and revival', async () => {
    const original = await declarations();
    const cloned = structuredClone(original);
    expect(cloned.names[0]).not.toHaveProperty('range');
    const revived = revivedDeclarations(cloned);
    expect(described(revived)).toEqual(described(original));
  });

  it('leave entries that carry a range of their own as they are', () => {
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } };
    const plain: FileDeclarations = { options: [], optionNames: [{ path: ['a'], role: 'use', range }], names: [{ name: 'a', kind: 'let', value: 'other', range }], paths: [{ text: './a.nix', range }] };
    const revived = revivedDeclarations(plain);
    expect(revived.optionNames[0]).toBe(plain.optionNames[0]);
    expect(revived.names[0]!.range).toBe(range);
    expect(revived.paths[0]).toBe(plain.paths[0]);
  });
});
