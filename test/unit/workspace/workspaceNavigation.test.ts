// Workspace symbols, references and rename across files, on an index filled from snippets: a
// rename of an option name is done only where the workspace owns the renamed path.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Position, TextEdit } from 'vscode-languageserver-types';
import { analyzeTree } from '../../../server/src/analysis/analysis';
import { fileDeclarations, type FileDeclarations } from '../../../server/src/analysis/fileDeclarations';
import { editsForRenamedFiles, fileReferences, renameFileLiteral } from '../../../server/src/features/fileReferences';
import type { KnowledgeQueries } from '../../../server/src/features/knowledgeQueries';
import { optionReferences, renameOptionName } from '../../../server/src/features/optionReferences';
import { WorkspaceSymbols } from '../../../server/src/features/workspaceSymbols';
import { inThreadExtraction } from '../../../server/src/workspace/fileExtraction';
import { WorkspaceIndex } from '../../../server/src/workspace/workspaceIndex';
import { nixParser, withCursor } from '../../support/parse';

const root = mkdtempSync(join(tmpdir(), 'nix-nur-workspace-navigation-'));
const uriOf = (name: string) => pathToFileURL(join(root, name)).href;

const FILES: Record<string, string> = {
  'modules/backup.nix':
    '{ config, lib, ... }: let cfg = config.my.backup; in {\n  options.my.backup.enable = lib.mkEnableOption "backups";\n  config = lib.mkIf cfg.enable { };\n}',
  'modules/sites.nix': '{ lib, ... }: {\n  options.my.sites = lib.mkOption { type = lib.types.attrsOf (lib.types.submodule { options.port = lib.mkOption { }; }); };\n}',
  'host.nix': '{ config, ... }: {\n  imports = [ ./modules/backup.nix ./modules ];\n  my.backup.enable = true;\n  my.sites.blog.port = 1;\n  services.nginx.enable = true;\n}',
  'modules/default.nix': '{ imports = [ ./backup.nix ./sites.nix ]; }',
  'lib.nix': '{ lib }: { strings.shout = x: x; backupHelper = x: x; }',
};

/** The option indexes as far as rename asks: NixOS knows `services.*`, nothing of `my`. */
const nixos = {
  classifyOption: (_scope: string, path: readonly string[]) => ({ kind: path[0] === 'services' ? (path.length === 3 ? 'option' : 'prefix') : 'unknown' }),
  optionChildren: (_scope: string, path: readonly string[], options: { prefix?: string }) => ({
    items: path.join('.') === 'services' && 'nginx'.startsWith(options.prefix ?? '') ? [{ name: 'nginx', kind: 'set' }] : [],
    incomplete: false,
    loading: false,
  }),
} as unknown as KnowledgeQueries;

let index: WorkspaceIndex;

async function declarationsOf(text: string, uri: string): Promise<FileDeclarations> {
  const tree = (await nixParser()).parse(text)!;
  try {
    return fileDeclarations(analyzeTree(tree, text), uri);
  } finally {
    tree.delete();
  }
}

beforeAll(async () => {
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  const parser = await nixParser();
  index = new WorkspaceIndex({
    extraction: inThreadExtraction((text, fileName) => {
      const tree = parser.parse(text)!;
      try {
        return fileDeclarations(analyzeTree(tree, text), fileName);
      } finally {
        tree.delete();
      }
    }),
    maxFileSize: () => 100_000,
  });
  await index.setFolders([root]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The declarations of `file` and the position of the `|` put into its text at `needle`. */
async function at(file: string, marked: string): Promise<{ declarations: FileDeclarations; position: Position }> {
  const { text, offset } = withCursor(FILES[file]!.replace(marked.replace('|', ''), marked));
  const lines = text.slice(0, offset).split('\n');
  return { declarations: await declarationsOf(text, uriOf(file)), position: { line: lines.length - 1, character: lines[lines.length - 1]!.length } };
}

const where = (uri: string, range: { start: Position }) => `${uri.slice(uri.indexOf(root) + root.length + 1)}:${range.start.line}`;
const editsOf = (changes: Record<string, TextEdit[]> | undefined) =>
  Object.entries(changes ?? {}).flatMap(([uri, edits]) => edits.map((e) => `${where(uri, e.range)} ${e.newText}`)).sort();

describe('workspace symbols', () => {
  it('ranks exact names, then prefixes, word starts and subsequences', () => {
    const symbols = new WorkspaceSymbols(index);
    expect(symbols.query('backup').map((s) => s.name)).toEqual(['backupHelper', 'my.backup.enable']);
    expect(symbols.query('shout').map((s) => [s.name, s.containerName])).toEqual([['strings.shout', 'lib.nix']]);
    expect(symbols.query('mbe').map((s) => s.name)).toEqual(['my.backup.enable']);
    expect(symbols.query('port').map((s) => s.name)).toEqual(['my.sites.<name>.port']);
  });
});

describe('option references and rename', () => {
  it('finds a declared option wherever it is declared, set or read', async () => {
    const { declarations, position } = await at('host.nix', 'my.backup.en|able');
    const locations = optionReferences(declarations, position, index, true)!;
    expect(locations.map((l) => where(l.uri, l.range)).sort()).toEqual(['host.nix:2', 'modules/backup.nix:1', 'modules/backup.nix:2']);
    expect(optionReferences(declarations, position, index, false)!.map((l) => where(l.uri, l.range)).sort()).toEqual(['host.nix:2', 'modules/backup.nix:2']);
  });

  it('renames a declared option, a submodule option, and a prefix only the workspace declares', async () => {
    const enable = await at('modules/backup.nix', 'options.my.backup.en|able');
    const renamed = renameOptionName(enable.declarations, enable.position, index, nixos, 'on');
    expect(renamed.kind === 'rename' && editsOf(renamed.edit?.changes)).toEqual(['host.nix:2 on', 'modules/backup.nix:1 on', 'modules/backup.nix:2 on']);
    const port = await at('host.nix', 'my.sites.blog.po|rt');
    const ports = renameOptionName(port.declarations, port.position, index, nixos, 'listen');
    expect(ports.kind === 'rename' && editsOf(ports.edit?.changes)).toEqual(['host.nix:3 listen', 'modules/sites.nix:1 listen']);
    const my = await at('host.nix', 'm|y.backup');
    const prefix = renameOptionName(my.declarations, my.position, index, nixos, 'mine');
    expect(prefix.kind === 'rename' && editsOf(prefix.edit?.changes)).toEqual([
      'host.nix:2 mine',
      'host.nix:3 mine',
      'modules/backup.nix:0 mine',
      'modules/backup.nix:1 mine',
      'modules/sites.nix:1 mine',
    ]);
  });

  it('refuses what the workspace does not own, and names that are taken', async () => {
    const nginx = await at('host.nix', 'services.ng|inx');
    expect(renameOptionName(nginx.declarations, nginx.position, index, nixos)).toMatchObject({ kind: 'refused', error: expect.stringMatching(/services\.nginx', which this workspace does not declare/) });
    const my = await at('host.nix', 'm|y.backup');
    // Without a loaded option index nobody can tell whether `my` is the workspace's alone.
    expect(renameOptionName(my.declarations, my.position, index, undefined, 'mine').kind).toBe('refused');
    const backup = await at('host.nix', 'my.back|up');
    expect(renameOptionName(backup.declarations, backup.position, index, nixos, 'sites')).toMatchObject({ kind: 'refused', error: "'my.sites' is already an option." });
    // A name the user chooses, and code that is no option path, are not this rename's business.
    const blog = await at('host.nix', 'my.sites.bl|og');
    expect(renameOptionName(blog.declarations, blog.position, index, nixos, 'x').kind).toBe('none');
    const imports = await at('host.nix', 'imp|orts');
    expect(renameOptionName(imports.declarations, imports.position, index, nixos, 'x').kind).toBe('none');
  });
});

describe('file references and rename', () => {
  it('finds every literal naming a file, also as its directory', async () => {
    const backup = await at('host.nix', './modules/back|up.nix');
    expect(fileReferences(uriOf('host.nix'), backup.declarations, backup.position, index)!.map((l) => where(l.uri, l.range)).sort()).toEqual(['host.nix:1', 'modules/default.nix:0']);
    const folder = await at('host.nix', './modu|les ');
    expect(fileReferences(uriOf('host.nix'), folder.declarations, folder.position, index)!.map((l) => where(l.uri, l.range))).toEqual(['host.nix:1']);
  });

  it('renames a file with every literal naming it, relative to each file', async () => {
    const backup = await at('host.nix', './modules/back|up.nix');
    const result = renameFileLiteral(uriOf('host.nix'), backup.declarations, backup.position, index, true, './modules/backups.nix');
    const changes = result.kind === 'rename' ? (result.edit?.documentChanges ?? []) : [];
    expect(changes.map((c) => ('edits' in c ? `${where(c.textDocument.uri, c.edits[0]!.range)} ${(c.edits[0] as TextEdit).newText}` : `${c.kind} ${c.kind === 'rename' ? where(c.newUri, { start: { line: 0, character: 0 } }) : ''}`)).sort()).toEqual([
      'host.nix:1 ./modules/backups.nix',
      'modules/default.nix:0 ./backups.nix',
      'rename modules/backups.nix:0',
    ]);
    expect(renameFileLiteral(uriOf('host.nix'), backup.declarations, backup.position, index, false).kind).toBe('refused');
    expect(renameFileLiteral(uriOf('host.nix'), backup.declarations, backup.position, index, true, './modules/sites.nix')).toMatchObject({ kind: 'refused', error: "'./modules/sites.nix' already exists." });
    const folder = await at('host.nix', './modu|les ');
    expect(renameFileLiteral(uriOf('host.nix'), folder.declarations, folder.position, index, true).kind).toBe('refused');
  });

  it('rewrites the literals naming a file renamed in the editor, and a moved file\'s own', () => {
    const moved = editsForRenamedFiles([{ oldUri: uriOf('modules/default.nix'), newUri: uriOf('all.nix') }], index);
    expect(editsOf(moved?.changes)).toEqual(['host.nix:1 ./all.nix', 'modules/default.nix:0 ./modules/backup.nix', 'modules/default.nix:0 ./modules/sites.nix']);
    expect(editsForRenamedFiles([{ oldUri: uriOf('lib.nix'), newUri: uriOf('lib2.nix') }], index)).toBeNull();
  });
});
