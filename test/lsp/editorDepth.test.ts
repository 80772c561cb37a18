// Semantic tokens, inlay hints, signature help, keyword and path completion and the new kinds of
// go to definition, through the built server over stdio, with small hand-written indexes and a
// stand-in nixpkgs tree on disk (named by NIX_PATH) for package sources.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem, CompletionList, InlayHint, Location, SemanticTokens, SemanticTokensDelta, SemanticTokensLegend, SignatureHelp } from 'vscode-languageserver-protocol';
import { waitForIndexes } from '../../bench/support/lspServer';
import { repoRoot, TestClient } from '../support/lspClient';

const fixtures = join(repoRoot, 'test', 'fixtures', 'knowledge');

/** Decodes the protocol's relative numbers into `line:character text type [modifiers]`. */
function decode(data: number[], legend: SemanticTokensLegend, text: string): string[] {
  const lines = text.split('\n');
  const tokens: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    character = data[i]! === 0 ? character + data[i + 1]! : data[i + 1]!;
    const modifiers = legend.tokenModifiers.filter((_, bit) => data[i + 4]! & (1 << bit));
    tokens.push(`${lines[line]!.slice(character, character + data[i + 2]!)} ${[legend.tokenTypes[data[i + 3]!], ...modifiers].join(' ')}`);
  }
  return tokens;
}

function positionOf(text: string, offset: number) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe('editor depth over LSP', () => {
  const root = mkdtempSync(join(tmpdir(), 'nix-nur-editor-depth-'));
  const nixpkgs = join(root, 'nixpkgs');
  const project = join(root, 'project');
  let client: TestClient;
  let legend: SemanticTokensLegend;
  let capabilities: Record<string, unknown>;

  beforeAll(async () => {
    mkdirSync(join(nixpkgs, 'pkgs', 'by-name', 'he', 'hello'), { recursive: true });
    writeFileSync(join(nixpkgs, 'pkgs', 'by-name', 'he', 'hello', 'package.nix'), '{ stdenv }:\nstdenv.mkDerivation { }\n');
    mkdirSync(join(project, 'modules'), { recursive: true });
    writeFileSync(join(project, 'modules', 'default.nix'), '{ }\n');
    writeFileSync(join(project, 'hardware.nix'), '{ }\n');
    let initialize;
    ({ client, initialize } = await TestClient.start({
      env: { ...process.env, NIX_PATH: `nixpkgs=${nixpkgs}` },
      initializationOptions: {
        cacheDirectory: join(root, 'cache'),
        trusted: false,
        nixNur: {
          offline: true,
          nixpkgs: { packages: join(fixtures, 'packages.json') },
          nixos: { options: join(fixtures, 'options.json') },
          homeManager: { options: '' },
          nur: { repos: '', packages: '' },
          diagnostics: { debounceMs: 20 },
        },
      },
    }));
    capabilities = initialize.capabilities as Record<string, unknown>;
    legend = (initialize.capabilities.semanticTokensProvider as { legend: SemanticTokensLegend }).legend;
    await waitForIndexes(client, 30_000, 100);
  }, 60_000);
  afterAll(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  let count = 0;
  async function open(text: string, name = `file-${++count}.nix`): Promise<string> {
    const uri = pathToFileURL(join(project, name)).href;
    await client.open(uri, text);
    return uri;
  }

  async function at<R>(method: string, marked: string, name?: string): Promise<R> {
    const offset = marked.indexOf('|');
    const text = marked.replace('|', '');
    const uri = await open(text, name);
    return client.request<R>(method, { textDocument: { uri }, position: positionOf(text, offset) });
  }

  it('announces semantic tokens with a standard legend, inlay hints and signature help', () => {
    expect(capabilities).toMatchObject({ semanticTokensProvider: { full: { delta: true }, range: true }, inlayHintProvider: expect.anything(), signatureHelpProvider: expect.anything() });
    expect(legend.tokenTypes).toEqual(expect.arrayContaining(['parameter', 'variable', 'property', 'function', 'keyword']));
    expect(legend.tokenModifiers).toEqual(expect.arrayContaining(['declaration', 'defaultLibrary', 'modification']));
  });

  it('sends tokens for the whole document, a range, and the edits after a keystroke', async () => {
    const text = '{ pkgs, lib }:\nlet\n  names = map (p: p.pname) [ pkgs.hello ];\nin with pkgs; [ ripgrep ]\n';
    const uri = await open(text);
    const full = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    expect(decode(full.data, legend, text)).toEqual([
      'pkgs parameter declaration',
      'lib parameter declaration unused',
      'let keyword',
      'names variable declaration unused',
      'map function defaultLibrary',
      'p parameter declaration',
      'p parameter',
      'pname property',
      'pkgs parameter',
      'hello property defaultLibrary',
      'in keyword',
      'with keyword',
      'pkgs parameter',
      'ripgrep property defaultLibrary',
    ]);
    const range = await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
      textDocument: { uri },
      range: { start: { line: 3, character: 0 }, end: { line: 3, character: 30 } },
    });
    expect(decode(range.data, legend, text).slice(0, 2)).toEqual(['in keyword', 'with keyword']);

    // Use `names`: it is no longer unused, and only that token changes.
    await client.change(uri, 2, [{ range: { start: { line: 3, character: 24 }, end: { line: 3, character: 24 } }, text: ' names' }]);
    const delta = await client.request<SemanticTokensDelta>('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: full.resultId });
    expect(delta.edits.length).toBe(1);
    const patched = [...full.data];
    for (const edit of [...delta.edits].reverse()) patched.splice(edit.start, edit.deleteCount, ...(edit.data ?? []));
    const after = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    expect(patched).toEqual(after.data);
    expect(decode(after.data, legend, client.texts.get(uri)!.getText())).toContain('names variable declaration');
    // An unknown previous result gets the whole document.
    const unknown = await client.request<SemanticTokens>('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: 'nope' });
    expect(unknown.data).toEqual(after.data);
  });

  it('hints package versions and option types, each kind switchable', async () => {
    const text = '{ config, pkgs, ... }: {\n  services.nginx.enable = true;\n  environment.systemPackages = [ pkgs.hello ] ++ (with pkgs; [ ripgrep ]);\n}\n';
    const uri = await open(text, 'configuration.nix');
    const ask = () => client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } } });
    expect((await ask()).map((h) => [h.position, h.label])).toEqual([
      [positionOf(text, text.indexOf('enable') + 'enable'.length), ': boolean'],
      [positionOf(text, text.indexOf('hello') + 'hello'.length), '2.12.1'],
      [positionOf(text, text.indexOf('ripgrep') + 'ripgrep'.length), '14.1.1'],
    ]);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { nixNur: { inlayHints: { optionTypes: false } } } });
    await client.until(async () => (await ask()).length === 2 || undefined, 5_000, 'option types switched off');
    expect((await ask()).map((h) => h.label)).toEqual(['2.12.1', '14.1.1']);
  });

  it('helps with the current argument of a builtin', async () => {
    const help = await at<SignatureHelp>('textDocument/signatureHelp', 'map (x: x) |');
    expect(help.signatures[0]!.label).toBe('map f list');
    expect(help.activeParameter).toBe(1);
  });

  it('completes keywords and paths', async () => {
    const keywords = await at<CompletionList | CompletionItem[]>('textDocument/completion', '{ a }: wi|');
    const items = Array.isArray(keywords) ? keywords : keywords.items;
    expect(items.filter((i) => i.kind === 14).map((i) => i.label)).toEqual(['with']);
    const paths = await at<CompletionList | CompletionItem[]>('textDocument/completion', '{ imports = [ ./| ]; }', 'paths.nix');
    // What is on disk: documents only open in the editor are not files yet.
    expect((Array.isArray(paths) ? paths : paths.items).map((i) => i.label)).toEqual(['hardware.nix', 'modules/']);
  });

  it('goes to a path literal’s file, a with’s subject, a flake input and a package’s source', async () => {
    expect((await at<Location[]>('textDocument/definition', '{ imports = [ ./mod|ules ]; }')).map((l) => l.uri)).toEqual([pathToFileURL(join(project, 'modules', 'default.nix')).href]);
    const subject = await at<Location[]>('textDocument/definition', '{ pkgs }: with pkgs; [ rip|grep ]');
    expect(subject.map((l) => l.range.start)).toEqual([{ line: 0, character: 15 }]);
    const flake = '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs";\n  outputs = { self, nix|pkgs }: { };\n}\n';
    expect((await at<Location[]>('textDocument/definition', flake, 'flake.nix')).map((l) => l.range.start)).toEqual([{ line: 1, character: 9 }]);
    expect(await at<Location[]>('textDocument/definition', '{ pkgs }: pkgs.hel|lo')).toEqual([
      { uri: pathToFileURL(join(nixpkgs, 'pkgs', 'by-name', 'he', 'hello', 'package.nix')).href, range: { start: { line: 56, character: 0 }, end: { line: 56, character: 0 } } },
    ]);
  });
});
