// The workspace index through the built server, over a small multi-host flake
// (test/fixtures/workspace-index): options the workspace declares complete, hover, go to their
// declaration and are checked in every module, in an untrusted workspace and without Nix (the
// options index is a file, nothing is evaluated);
// workspace symbols; references and rename of declared options and of files across files; and
// rename refused for option names the workspace does not declare.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionList, Hover, Location, Position, SymbolInformation, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { repoRoot, TestClient } from '../support/lspClient';

const fixture = join(repoRoot, 'test', 'fixtures', 'workspace-index');
const knowledge = join(repoRoot, 'test', 'fixtures', 'knowledge');

describe('workspace index over LSP', () => {
  const root = mkdtempSync(join(tmpdir(), 'nix-nur-workspace-index-'));
  const workspace = join(root, 'flake');
  const uriOf = (path: string) => pathToFileURL(join(workspace, path)).href;
  const box = uriOf('hosts/box/default.nix');
  const backup = uriOf('modules/backup.nix');
  let client: TestClient;

  beforeAll(async () => {
    cpSync(fixture, workspace, { recursive: true });
    ({ client } = await TestClient.start({
      rootUri: pathToFileURL(workspace).href,
      resourceOperations: ['rename'],
      initializationOptions: {
        cacheDirectory: join(root, 'cache'),
        trusted: false,
        nixNur: { offline: true, nixpkgs: { packages: '' }, nixos: { options: join(knowledge, 'options.json') }, homeManager: { options: '' }, nur: { repos: '', packages: '' } },
      },
    }));
    await client.open(box, readFileSync(join(workspace, 'hosts/box/default.nix'), 'utf8'));
    // Ready when the options index is loaded and the workspace's options are indexed.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await client.request<{ sources: { state: string }[] }>('nixNur/status', {});
      const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'my.sites' });
      if (status.sources.every((s) => s.state === 'ready' || s.state === 'off') && symbols.length > 0) break;
      if (Date.now() > deadline) throw new Error('workspace not indexed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);
  afterAll(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Opens a new module under hosts/ with `marked` (one `|`), and returns the URI and the cursor. */
  async function openModule(marked: string): Promise<{ uri: string; position: Position }> {
    const offset = marked.indexOf('|');
    const text = marked.replace('|', '');
    const before = text.slice(0, offset).split('\n');
    const uri = uriOf(`hosts/scratch-${Math.random().toString(36).slice(2)}.nix`);
    await client.open(uri, text);
    return { uri, position: { line: before.length - 1, character: before[before.length - 1]!.length } };
  }

  function positionOf(path: string, needle: string, within = 0): Position {
    const text = readFileSync(join(workspace, path), 'utf8');
    const at = text.indexOf(needle) + within;
    const lines = text.slice(0, at).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  }

  it('completes the options a workspace module declares, also after config.', async () => {
    const keys = await openModule('{ config, ... }: { my.backup.| }');
    const items = (await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: keys.uri }, position: keys.position })).items;
    expect(items.map((i) => [i.label, i.detail])).toEqual([
      ['enable', 'boolean'],
      ['mode', 'one of "full", "incremental"'],
      ['package', 'package'],
      ['paths', 'list of string'],
    ]);
    const read = await openModule('{ config, lib, ... }: { x = lib.mkIf config.my.backup.| { }; }');
    const readItems = (await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: read.uri }, position: read.position })).items;
    expect(readItems.map((i) => i.label)).toContain('paths');
    const value = await openModule('{ ... }: { my.backup.mode = |; }');
    const values = (await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: value.uri }, position: value.position })).items;
    expect(values.map((i) => i.label)).toEqual(['"full"', '"incremental"']);
  });

  it('hovers a declared option with its literal facts and where it is declared', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: box }, position: positionOf('hosts/box/default.nix', 'paths', 2) });
    const text = (hover.contents as { value: string }).value;
    expect(text).toContain('**my.backup.paths**');
    expect(text).toContain('list of string');
    expect(text).toContain('Directories to back up.');
    expect(text).toContain('[ "/home" ]');
    expect(text).toContain(`[modules/backup.nix](${backup}#L8)`);
    // On the declaration itself, and on a read through `cfg = config.my.backup`.
    await client.open(backup, readFileSync(join(workspace, 'modules/backup.nix'), 'utf8'));
    for (const [needle, within] of [['enable = lib', 2], ['cfg.enable', 6]] as const) {
      const at = await client.request<Hover>('textDocument/hover', { textDocument: { uri: backup }, position: positionOf('modules/backup.nix', needle, within) });
      expect((at.contents as { value: string }).value).toContain('Whether to enable nightly backups.');
    }
  });

  it('goes to the declaration, also of a submodule option and through an alias', async () => {
    const enable = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: box }, position: positionOf('hosts/box/default.nix', 'enable', 1) });
    expect(enable).toEqual([{ uri: backup, range: { start: { line: 6, character: 4 }, end: { line: 6, character: 10 } } }]);
    const port = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: box }, position: positionOf('hosts/box/default.nix', 'port =', 1) });
    expect(port.map((l) => [l.uri, l.range.start.line])).toEqual([[uriOf('modules/sites.nix'), 4]]);
    // Through an alias of config (`cfg = config.my.backup;` … `cfg.enable`), in a file not open.
    await client.open(backup, readFileSync(join(workspace, 'modules/backup.nix'), 'utf8'));
    const aliased = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: backup }, position: positionOf('modules/backup.nix', 'cfg.enable', 5) });
    expect(aliased.map((l) => [l.uri, l.range.start.line])).toEqual([[backup, 6]]);
  });

  it('reports a typo of a declared option with the fix, and never the declared options', async () => {
    const { uri } = await openModule('{ config, ... }: {\n  my.backup.enabel = true;\n  my.backup.paths = [ ];\n  my.sites.web.port = 80;\n}');
    const diagnostics = (await client.diagnosticsFor(uri, 1)).diagnostics.filter((d) => d.code === 'unknown-option');
    expect(diagnostics.map((d) => [d.range.start.line, d.message])).toEqual([[1, "Unknown NixOS option 'my.backup.enabel'. Did you mean 'enable'?"]]);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics } });
    expect(actions.find((a) => a.title === "Change to 'enable'")?.edit?.changes?.[uri]?.[0]?.newText).toBe('enable');
  });

  it('finds workspace symbols: declared options, names and flake outputs', async () => {
    const named = async (query: string) => (await client.request<SymbolInformation[]>('workspace/symbol', { query })).map((s) => [s.name, s.containerName]);
    expect((await named('backup')).slice(0, 5)).toEqual([
      ['my.backup.mode', 'modules/backup.nix'],
      ['my.backup.paths', 'modules/backup.nix'],
      ['my.backup.enable', 'modules/backup.nix'],
      ['my.backup.package', 'modules/backup.nix'],
    ]);
    expect(await named('nixosConfigurations.box')).toEqual([['nixosConfigurations.box', 'flake.nix']]);
    expect(await named('shout')).toEqual([['strings.shout', 'lib/default.nix']]);
  });

  it('finds the references of a declared option in every file', async () => {
    const locations = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: box },
      position: positionOf('hosts/box/default.nix', 'enable', 1),
      context: { includeDeclaration: true },
    });
    expect(locations.map((l) => [l.uri.slice(l.uri.indexOf('/flake/') + 7), l.range.start.line]).sort()).toEqual([
      ['hosts/box/default.nix', 4],
      ['hosts/box/default.nix', 7],
      ['modules/backup.nix', 20],
      ['modules/backup.nix', 6],
    ]);
  });

  it('renames a declared option in its declaration and every use', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: box }, position: positionOf('hosts/box/default.nix', 'enable', 1), newName: 'enabled' });
    const changes = Object.entries(edit.changes ?? {}).map(([uri, edits]) => [uri.slice(uri.indexOf('/flake/') + 7), edits.map((e) => [e.range.start.line, e.newText]).sort()]);
    expect(changes.sort()).toEqual([
      ['hosts/box/default.nix', [[4, 'enabled'], [7, 'enabled']]],
      ['modules/backup.nix', [[20, 'enabled'], [6, 'enabled']]],
    ]);
  });

  it('refuses to rename a name of an option the workspace does not declare', async () => {
    const position = positionOf('hosts/box/default.nix', 'nginx.enable', 7);
    await expect(client.request('textDocument/prepareRename', { textDocument: { uri: box }, position })).rejects.toThrow(/does not declare/);
    await expect(client.request('textDocument/rename', { textDocument: { uri: box }, position, newName: 'enabled' })).rejects.toThrow(/does not declare/);
  });

  it('refuses option names in a file that only looks like a module, and leaves names of the user\'s choosing alone', async () => {
    const loose = await openModule('{ pkgs, ... }: { services.ng|inx.enable = true; }');
    await expect(client.request('textDocument/prepareRename', { textDocument: { uri: loose.uri }, position: loose.position })).rejects.toThrow(/services\.nginx', which this workspace does not declare/);
    const chosen = await openModule('{ config, ... }: { services.nginx.virtualHosts.ex|ample.root = ./www; }');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: chosen.uri }, position: chosen.position, newName: 'site' });
    expect(edit.changes?.[chosen.uri]?.map((e) => e.newText)).toEqual(['site']);
  });

  it('finds the references of a file and renames it with every literal naming it', async () => {
    const position = positionOf('hosts/box/default.nix', 'modules/backup.nix', 1);
    const locations = await client.request<Location[]>('textDocument/references', { textDocument: { uri: box }, position, context: { includeDeclaration: true } });
    expect(locations.map((l) => l.uri.slice(l.uri.indexOf('/flake/') + 7)).sort()).toEqual(['flake.nix', 'hosts/box/default.nix']);
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: box }, position, newName: '../../modules/backups.nix' });
    const texts = (edit.documentChanges ?? []).flatMap((change) => ('edits' in change ? change.edits.map((e) => ('newText' in e ? e.newText : '')) : [`${change.kind}`]));
    expect(texts.sort()).toEqual(['../../modules/backups.nix', './modules/backups.nix', 'rename']);
  });

  it('rewrites the literals naming a file the editor renames', async () => {
    const edit = await client.request<WorkspaceEdit>('workspace/willRenameFiles', {
      files: [{ oldUri: uriOf('modules/sites.nix'), newUri: uriOf('modules/web/sites.nix') }],
    });
    expect(Object.entries(edit.changes ?? {}).map(([uri, edits]) => [uri.slice(uri.indexOf('/flake/') + 7), edits.map((e) => e.newText)])).toEqual([
      ['hosts/box/default.nix', ['../../modules/web/sites.nix']],
    ]);
  });

  it('follows a module being edited and a file created on disk', async () => {
    const { uri } = await openModule('{ lib, ... }: { options.my.extra.enable = lib.mkEnableOption "extra"; }');
    writeFileSync(join(workspace, 'modules', 'disk.nix'), '{ lib, ... }: { options.my.fromDisk.level = lib.mkOption { type = lib.types.int; }; }');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('modules/disk.nix'), type: 1 }] });
    const keys = await openModule('{ ... }: { my.| }');
    let labels: string[] = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      labels = (await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: keys.uri }, position: keys.position })).items.map((i) => i.label);
      if (labels.includes('extra') && labels.includes('fromDisk')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(labels).toEqual(['backup', 'extra', 'fromDisk', 'sites']);
    expect(uri).toContain('scratch');
  });
});

describe('workspace folders over LSP', () => {
  it('indexes a folder added to the workspace and forgets a removed one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nix-nur-workspace-folders-'));
    cpSync(fixture, join(root, 'first'), { recursive: true });
    mkdirSync(join(root, 'second'));
    writeFileSync(join(root, 'second', 'tools.nix'), '{ lib }: { formatDisk = device: device; }');
    const { client } = await TestClient.start({
      rootUri: pathToFileURL(join(root, 'first')).href,
      workspaceFolders: true,
      initializationOptions: { cacheDirectory: join(root, 'cache'), trusted: false, nixNur: { offline: true, nixpkgs: { packages: '' }, nixos: { options: '' }, homeManager: { options: '' }, nur: { repos: '', packages: '' } } },
    });
    try {
      const names = async (query: string) => (await client.request<SymbolInformation[]>('workspace/symbol', { query })).map((s) => s.name);
      const eventually = async (query: string, wanted: string[]) => {
        const deadline = Date.now() + 10_000;
        let found: string[] = [];
        while (Date.now() < deadline && JSON.stringify((found = await names(query))) !== JSON.stringify(wanted)) await new Promise((resolve) => setTimeout(resolve, 100));
        return found;
      };
      expect(await eventually('shout', ['strings.shout'])).toEqual(['strings.shout']);
      const folder = (name: string) => ({ uri: pathToFileURL(join(root, name)).href, name });
      await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder('second')], removed: [folder('first')] } });
      expect(await eventually('formatDisk', ['formatDisk'])).toEqual(['formatDisk']);
      expect(await eventually('shout', [])).toEqual([]);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});
