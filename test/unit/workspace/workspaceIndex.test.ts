// The workspace index: the declared-option tree (placeholders, pruning, classification), and the
// scan of a folder (hidden directories, node_modules, symbolic links and large files left out;
// open documents winning over the disk; files re-read and removed).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTree } from '../../../server/src/analysis/analysis';
import { fileDeclarations, type DeclaredOption, type FileDeclarations } from '../../../server/src/analysis/fileDeclarations';
import { DeclaredOptionTree } from '../../../server/src/workspace/declaredOptionTree';
import { inThreadExtraction } from '../../../server/src/workspace/fileExtraction';
import { WorkspaceIndex } from '../../../server/src/workspace/workspaceIndex';
import { nixParser } from '../../support/parse';

const AT = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const option = (path: string): DeclaredOption => ({ path: path.split('.'), range: AT, declaredWith: 'mkOption' });

describe('DeclaredOptionTree', () => {
  const tree = new DeclaredOptionTree();
  const backup = [option('my.backup.enable'), option('my.backup.paths')];
  tree.add('file:///a.nix', backup);
  tree.add('file:///b.nix', [option('my.sites'), option('my.sites.<name>.port'), option('my.users.*.name')]);

  it('lists children, literal and placeholder, and resolves written names through placeholders', () => {
    expect(tree.children(['my'])).toEqual([
      { name: 'backup', kind: 'set', placeholder: false },
      { name: 'sites', kind: 'option', placeholder: false },
      { name: 'users', kind: 'set', placeholder: false },
    ]);
    expect(tree.children(['my', 'backup'], 'en').map((c) => c.name)).toEqual(['enable']);
    expect(tree.children(['my', 'sites', 'blog']).map((c) => c.name)).toEqual(['port']);
    expect(tree.lookup(['my', 'sites', 'blog', 'port']).map((d) => d.uri)).toEqual(['file:///b.nix']);
    expect(tree.pattern(['my', 'sites', 'blog', 'port'])).toEqual(['my', 'sites', '<name>', 'port']);
  });

  it('classifies written paths', () => {
    expect(tree.classify(['my', 'backup'])).toBe('prefix');
    expect(tree.classify(['my', 'backup', 'enable'])).toBe('option');
    expect(tree.classify(['my', 'backup', 'enable', 'deeper'])).toBe('inside-option');
    expect(tree.classify(['my', 'backup', 'enabel'])).toBe('unknown');
    expect(tree.classify(['services'])).toBe('unknown');
  });

  it('takes a file\'s options out again and prunes emptied branches', () => {
    tree.remove('file:///a.nix', backup);
    expect(tree.classify(['my', 'backup'])).toBe('unknown');
    expect(tree.children(['my']).map((c) => c.name)).toEqual(['sites', 'users']);
    expect(tree.size).toBe(3);
  });
});

describe('WorkspaceIndex', () => {
  const root = mkdtempSync(join(tmpdir(), 'nix-nur-workspace-index-unit-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const module = (name: string) => `{ lib, ... }: { options.my.${name}.enable = lib.mkEnableOption "${name}"; }`;

  async function indexOf(maxFileSize = 10_000): Promise<WorkspaceIndex> {
    const parser = await nixParser();
    const extract = (text: string, fileName: string): FileDeclarations | undefined => {
      const tree = parser.parse(text);
      if (!tree) return undefined;
      try {
        return fileDeclarations(analyzeTree(tree, text), fileName);
      } finally {
        tree.delete();
      }
    };
    return new WorkspaceIndex({ extraction: inThreadExtraction(extract), maxFileSize: () => maxFileSize });
  }

  it('indexes the folder\'s .nix files, but not hidden directories, node_modules, links or large files', async () => {
    mkdirSync(join(root, 'modules'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(root, 'modules', 'a.nix'), module('a'));
    writeFileSync(join(root, '.git', 'b.nix'), module('b'));
    writeFileSync(join(root, 'node_modules', 'x', 'c.nix'), module('c'));
    writeFileSync(join(root, 'big.nix'), `${module('big')}\n${'#'.repeat(20_000)}`);
    writeFileSync(join(root, 'notes.txt'), module('txt'));
    symlinkSync(join(root, 'modules'), join(root, 'result'));
    const index = await indexOf();
    await index.setFolders([root]);
    expect([...index.all()].map((f) => index.displayName(f.uri))).toEqual(['modules/a.nix']);
    expect(index.options.children(['my']).map((c) => c.name)).toEqual(['a']);
    expect(index.state).toMatchObject({ state: 'ready', files: 1, truncated: false });
  });

  it('keeps an open document over the disk, and re-reads or drops files when told', async () => {
    const index = await indexOf();
    await index.setFolders([root]);
    const uri = pathToFileURL(join(root, 'modules', 'a.nix')).href;
    const parser = await nixParser();
    const tree = parser.parse(module('edited'))!;
    index.setFromEditor(uri, fileDeclarations(analyzeTree(tree, module('edited')), uri));
    tree.delete();
    await index.setFolders([root]);
    expect(index.options.children(['my']).map((c) => c.name)).toEqual(['edited']);
    await index.refreshFromDisk(uri);
    expect(index.options.children(['my']).map((c) => c.name)).toEqual(['a']);
    writeFileSync(join(root, 'modules', 'new.nix'), module('created'));
    await index.refreshFromDisk(pathToFileURL(join(root, 'modules', 'new.nix')).href);
    expect(index.options.children(['my']).map((c) => c.name)).toEqual(['a', 'created']);
    index.remove(uri);
    expect(index.options.children(['my']).map((c) => c.name)).toEqual(['created']);
    // Files outside the workspace folders are not indexed, open or not.
    const outsideTree = parser.parse(module('opened'))!;
    index.setFromEditor('file:///elsewhere/opened.nix', fileDeclarations(analyzeTree(outsideTree, module('opened')), 'file:///elsewhere/opened.nix'));
    outsideTree.delete();
    expect(index.options.children(['my']).map((c) => c.name)).toEqual(['created']);
    writeFileSync(join(tmpdir(), 'nix-nur-outside.nix'), module('outside'));
    await index.refreshFromDisk(pathToFileURL(join(tmpdir(), 'nix-nur-outside.nix')).href);
    expect(index.options.children(['my']).map((c) => c.name)).toEqual(['created']);
    rmSync(join(tmpdir(), 'nix-nur-outside.nix'));
  });
});
