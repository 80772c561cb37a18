// Every answer that carries a position must move with the code it is about. The same Nix, opened
// bare and then behind leading blank lines, spaces, CRLF line ends, tabs or non-ASCII text, must
// get the same answers from the built server (diagnostics, symbols, folding, selection, links,
// lenses, and at every sampled cursor hover, definition, references, highlights, rename and
// completion) — shifted by exactly what was put in front, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from '../support/lspClient';

const SAMPLES: Record<string, string> = {
  module: `{ config, lib, pkgs, ... }:
let
  cfg = config.services.demo;
  inherit (lib) mkIf mkOption types;
  unused = "naïve – 😀";
in {
  # région: options 😀
  options.services.demo.enable = mkOption { type = types.bool; default = false; };
  config = mkIf cfg.enable {
    environment.systemPackages = with pkgs; [ hello ripgrep ];
    services.nginx.virtualHosts."exämple.org" = { forceSSL = true; root = ./www; };
    users.users.alice = { isNormalUser = true; extraGroups = [ "wheel" ]; description = "Ålice 👩‍💻"; };
  };
}`,
  flake: `{
  description = "ünïcode 😀 flake";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.host = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./configuration.nix { networking.hostName = "hôst"; } ];
    };
    packages.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.hello;
  };
}`,
  package: `{ lib, stdenv, fetchFromGitHub, cmake ? null, unusedArg, ... }@args:
stdenv.mkDerivation rec {
  pname = "démo";
  version = "1.0";
  src = fetchFromGitHub { owner = "o"; repo = pname; rev = "v\${version}"; hash = lib.fakeHash; };
  nativeBuildInputs = [ cmake undefinedThing ];
  meta = with lib; { description = ''A "démo" \${pname} ☃''; license = licenses.mit; };
  passthru.tests = { a.b = 1; a.b = 2; };
}`,
  overlay: `final: prev: rec { x = prev.hello.overrideAttrs (old: { pname = "x"; }); y = x; z = let s = { a = 1; }; in s.a + s.b; }`,
  // The shapes that came back garbled behind a leading blank line.
  duplicates: `{ a = 1; b = 2; a = 3; }`,
  letIn: `let a=1; b=2; c=3; in a+b+d`,
  formals: `{ a, b, c }: a + b`,
  broken: `{
  a = 1
  b = [ 2 3;
  c = { d = "é"; };
}`,
};

/** What is put in front of each sample, and what each sample is rewritten to. */
const PREFIXES = ['\n', ' ', '\r\n', '\t', '\n\n\t  \n', '\r\n\r\n', '# leading comment 😀 é\n', '/* ☃ */ ', '\t/* 😀 */\t\n  '];

interface Variant {
  name: string;
  text: string;
  /** The offset in the variant's text of each offset of the sample's text. */
  forward: (offset: number) => number;
}

function prefixed(sample: string, prefix: string): Variant {
  return { name: `after ${JSON.stringify(prefix)}`, text: prefix + sample, forward: (offset) => offset + prefix.length };
}

/** The sample with CRLF line ends: each offset moves by the line feeds before it. */
function crlf(sample: string): Variant {
  const starts: number[] = [];
  for (let i = 0; i < sample.length; i++) if (sample[i] === '\n') starts.push(i);
  return {
    name: 'with CRLF line ends',
    text: sample.replace(/\n/g, '\r\n'),
    forward: (offset) => offset + starts.filter((at) => at < offset).length,
  };
}

/** The sample indented with tabs instead of spaces: one character for one, offsets unchanged. */
function tabs(sample: string): Variant {
  return { name: 'indented with tabs', text: sample.replace(/^ +/gm, (spaces) => '\t'.repeat(spaces.length)), forward: (offset) => offset };
}

const SCRATCH_URI = 'file:///project/';

describe('answers move with the code behind leading whitespace, CRLF, tabs and non-ASCII text', () => {
  let client: TestClient;
  let documents = 0;
  beforeAll(async () => {
    ({ client } = await TestClient.start({ initializationOptions: { nixNur: { diagnostics: { debounceMs: 0 } } } }));
  });
  afterAll(async () => {
    expect(await client.stop()).toBe(0);
  });

  /** Everything the server says about `text`, with positions and the document's URI as they came. */
  async function answers(text: string, cursors: number[]): Promise<{ uri: string; all: Record<string, unknown> }> {
    const uri = `${SCRATCH_URI}v${documents++}/default.nix`;
    await client.open(uri, text, 1);
    const document = TextDocument.create(uri, 'nix', 1, text);
    const textDocument = { uri };
    const all: Record<string, unknown> = {};
    const diagnostics = (await client.diagnosticsFor(uri, 1)).diagnostics;
    all.diagnostics = [...diagnostics].sort(byRange);
    all.symbols = await client.request('textDocument/documentSymbol', { textDocument });
    all.folding = await client.request('textDocument/foldingRange', { textDocument });
    all.links = await client.request('textDocument/documentLink', { textDocument });
    all.lenses = await client.request('textDocument/codeLens', { textDocument });
    const positions = cursors.map((offset) => document.positionAt(offset));
    all.selection = await client.request('textDocument/selectionRange', { textDocument, positions });
    for (const [i, position] of positions.entries()) {
      const at = { textDocument, position };
      all[`cursor ${i}`] = {
        hover: await client.request('textDocument/hover', at),
        definition: await client.request('textDocument/definition', at),
        references: await client.request('textDocument/references', { ...at, context: { includeDeclaration: true } }),
        highlights: await client.request('textDocument/documentHighlight', at),
        rename: await client.request('textDocument/prepareRename', at).catch((error: Error) => `refused: ${error.message}`),
        completion: await client.request('textDocument/completion', at),
      };
    }
    // Closed again: with no workspace folders the open documents are the workspace, and the next
    // variant's cross-file answers (references of a declared option) must not find this one.
    await client.close(uri);
    return { uri, all };
  }

  /**
   * The variant's answers brought back to the sample: every position (and folding line) read as an
   * offset in the variant, mapped to the sample's offset, written as a sample position. A position
   * with no counterpart in the sample (inside the prefix) is kept as a visible marker.
   */
  function backToSample(value: unknown, variant: Variant, sample: string, variantUri: string, sampleUri: string): unknown {
    const from = TextDocument.create(variantUri, 'nix', 1, variant.text);
    const to = TextDocument.create(sampleUri, 'nix', 1, sample);
    const backward = new Map<number, number>();
    for (let offset = 0; offset <= sample.length; offset++) backward.set(variant.forward(offset), offset);
    const position = (p: { line: number; character: number }) => {
      const offset = backward.get(from.offsetAt(p));
      return offset === undefined ? { outsideSample: p } : to.positionAt(offset);
    };
    const line = (l: number) => {
      const start = from.offsetAt({ line: l, character: 0 });
      const end = from.offsetAt({ line: l + 1, character: 0 });
      for (let offset = start; offset <= end; offset++) {
        const back = backward.get(offset);
        if (back !== undefined) return to.positionAt(back).line;
      }
      return { outsideSampleLine: l };
    };
    const walk = (v: unknown, key?: string): unknown => {
      if (typeof v === 'string') {
        // Hovers link to declarations in the document itself by path and line (`…/default.nix#L8`).
        const moved = v.replace(/#L(\d+)/g, (_, n: string) => {
          const back = line(Number(n) - 1);
          return typeof back === 'number' ? `#L${back + 1}` : `#L?${n}`;
        });
        return moved.split(dirPath(variantUri)).join(dirPath(sampleUri));
      }
      if (typeof v === 'number' && (key === 'startLine' || key === 'endLine')) return line(v);
      if (Array.isArray(v)) return v.map((x) => walk(x));
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o.line === 'number' && typeof o.character === 'number' && Object.keys(o).length === 2) return position(o as { line: number; character: number });
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x, k)]));
      }
      return v;
    };
    return walk(value);
  }

  for (const [name, sample] of Object.entries(SAMPLES)) {
    it(`gives the same answers for the ${name} sample`, async () => {
      const cursors = cursorsIn(sample);
      const bare = await answers(sample, cursors);
      const variants = [...PREFIXES.map((prefix) => prefixed(sample, prefix)), crlf(sample), tabs(sample)];
      for (const variant of variants) {
        const shifted = await answers(variant.text, cursors.map(variant.forward));
        const back = backToSample(shifted.all, variant, sample, shifted.uri, bare.uri) as Record<string, unknown>;
        // A leading comment belongs to the file: the outermost selection step takes it in.
        back.selection = (back.selection as Selection[]).map(withinSample);
        expect(back, `${name} ${variant.name}`).toEqual(bare.all);
      }
    }, 60_000);
  }

  it('reads non-ASCII text in UTF-16 code units, as LSP positions count', async () => {
    // The same code with every non-ASCII code unit made an ASCII punctuation mark (like them, no
    // part of a word): positions must not move.
    for (const [name, sample] of Object.entries(SAMPLES)) {
      if (!/[^\x00-\x7f]/.test(sample)) continue;
      const ascii = sample.replace(/[^\x00-\x7f]/g, '~');
      const cursors = cursorsIn(sample);
      const wide = await answers(sample, cursors);
      const narrow = await answers(ascii, cursors);
      const comparable = (value: unknown, uri: string) => JSON.parse(JSON.stringify(value).split(dirPath(uri)).join('DIR').replace(/[^\x00-\x7f]/g, '~'));
      expect(comparable(wide.all, wide.uri), name).toEqual(comparable(narrow.all, narrow.uri));
    }
  }, 60_000);

  it('reports the shapes that came back garbled behind a blank line by their own names', async () => {
    const messages = async (text: string) => {
      const uri = `${SCRATCH_URI}v${documents++}/default.nix`;
      await client.open(uri, text, 1);
      return (await client.diagnosticsFor(uri, 1)).diagnostics.map((d: Diagnostic) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
    };
    expect(await messages('\n{ a = 1; b = 2; }')).toEqual([]);
    expect(await messages('\n{ a = 1; a = 2; }')).toEqual(["1:9 Attribute 'a' is already defined."]);
    expect(await messages('\nlet a=1; b=2; in a+b')).toEqual([]);
    expect(await messages('\r\n{ a, b }: a + b')).toEqual([]);
    expect(await messages('\n{ a, b }: a')).toEqual(["1:5 Argument 'b' is never used."]);
  });
});

/** Cursors on every word's first and last character and on a few punctuation marks. */
function cursorsIn(text: string): number[] {
  const cursors = new Set<number>();
  for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_'-]*/g)) {
    cursors.add(match.index);
    cursors.add(match.index + match[0].length);
  }
  for (const match of text.matchAll(/[{}[\];=."]/g)) if (match.index % 3 === 0) cursors.add(match.index);
  return [...cursors].sort((a, b) => a - b);
}

interface Selection {
  range: { start: object; end: object };
  parent?: Selection;
}

/** A selection chain without the outer steps that start before the sample. */
function withinSample(selection: Selection): Selection {
  const parent = selection.parent && withinSample(selection.parent);
  const startsBefore = (s: Selection | undefined) => !!s && 'outsideSample' in s.range.start;
  return { range: selection.range, ...(parent && !startsBefore(parent) ? { parent } : {}) };
}

function byRange(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || String(a.message).localeCompare(String(b.message));
}

/** The directory of a document URI, without the slash (build lenses name it so). */
function dirOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

/** The directory of a document URI as a path: links name it both ways, the path is in the URI. */
function dirPath(uri: string): string {
  return dirOf(uri).replace(/^file:\/\//, '');
}
