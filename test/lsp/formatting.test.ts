// Formatting over stdio: whole documents, selections, syntax errors, and a formatter command the
// user configured (real programs: `tr` and `sed` transform standard input, `false` fails).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from '../support/lspClient';

const OPTIONS = { tabSize: 2, insertSpaces: true };

function applied(text: string, edits: TextEdit[] | null): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.nix', 'nix', 1, text), edits ?? []);
}

describe('formatting with the built-in formatter', () => {
  let client: TestClient;
  let capabilities: Record<string, unknown>;

  beforeAll(async () => {
    const started = await TestClient.start();
    client = started.client;
    capabilities = started.initialize.capabilities as Record<string, unknown>;
  });
  afterAll(async () => {
    expect(await client.stop()).toBe(0);
  });

  it('announces document and range formatting', () => {
    expect(capabilities).toMatchObject({ documentFormattingProvider: true, documentRangeFormattingProvider: true });
  });

  it('formats a whole document in the official style, comments kept in place', async () => {
    const uri = 'file:///project/format-whole.nix';
    const text = '{pkgs,lib,...}:\n# the package\n{name="hello";buildInputs=[pkgs.a pkgs.b]; # inputs\nmeta={};}\n';
    await client.open(uri, text);
    const edits = await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS });
    expect(applied(text, edits)).toBe(
      [
        '{ pkgs, lib, ... }:',
        '# the package',
        '{',
        '  name = "hello";',
        '  buildInputs = [',
        '    pkgs.a',
        '    pkgs.b',
        '  ]; # inputs',
        '  meta = { };',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('answers no edits for a formatted document', async () => {
    const uri = 'file:///project/format-done.nix';
    await client.open(uri, '{\n  a = 1;\n  b = 2;\n}\n');
    expect(await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS })).toEqual([]);
  });

  it('refuses a document with a syntax error, saying where, and changes nothing', async () => {
    const uri = 'file:///project/format-broken.nix';
    await client.open(uri, '{\n  a = 1;\n  b = ;\n}\n');
    const before = client.messages.length;
    const edits = await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS });
    expect(edits).toBeNull();
    const message = await client.until(() => client.messages.slice(before).find((m) => m.message.includes('syntax error')));
    expect(message.message).toMatch(/line 3, column \d+/);
    expect(message.asRequest).toBeUndefined();
  });

  it('formats a selection as its whole binding, re-indented in place, and leaves the rest alone', async () => {
    const uri = 'file:///project/format-range.nix';
    const text = '{\n  keep   =   1;\n  x = {a=1;b=[1 2];};\n  also  = 2;\n}\n';
    await client.open(uri, text);
    const edits = await client.request<TextEdit[] | null>('textDocument/rangeFormatting', {
      textDocument: { uri },
      range: { start: { line: 2, character: 6 }, end: { line: 2, character: 9 } },
      options: OPTIONS,
    });
    expect(applied(text, edits)).toBe('{\n  keep   =   1;\n  x = {\n    a = 1;\n    b = [\n      1\n      2\n    ];\n  };\n  also  = 2;\n}\n');
  });
});

describe('formatting with nixNur.formatting.command', () => {
  const start = (command: string[], trusted = true) =>
    TestClient.start({ initializationOptions: { trusted, nixNur: { formatting: { command } } } }).then((started) => started.client);

  it('runs the command with the document on standard input', async () => {
    const client = await start(['tr', 'a-z', 'A-Z']);
    try {
      const uri = 'file:///project/external.nix';
      await client.open(uri, '{ a = b; }\n');
      const edits = await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS });
      expect(applied('{ a = b; }\n', edits)).toBe('{ A = B; }\n');
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });

  it('passes the arguments as they are, without a shell', async () => {
    const client = await start(['sed', 's/old; $(x)/new/']);
    try {
      const uri = 'file:///project/external-sed.nix';
      await client.open(uri, '"old; $(x)"\n');
      const edits = await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS });
      expect(applied('"old; $(x)"\n', edits)).toBe('"new"\n');
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });

  it('shows a failing command plainly and changes nothing', async () => {
    const client = await start(['sh', '-c', 'echo "formatter: cannot parse line 1" >&2; exit 3']);
    try {
      const uri = 'file:///project/external-fails.nix';
      await client.open(uri, '{ a = 1; }\n');
      const edits = await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS });
      expect(edits).toBeNull();
      const message = await client.until(() => client.messages.find((m) => m.message.includes('failed')));
      expect(message.message).toContain('formatter: cannot parse line 1');
      expect(message.message).toContain('nothing was changed');
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });

  it('says so when the program does not exist', async () => {
    const client = await start(['no-such-nix-formatter-here']);
    try {
      const uri = 'file:///project/external-missing.nix';
      await client.open(uri, '{ a = 1; }\n');
      expect(await client.request('textDocument/formatting', { textDocument: { uri }, options: OPTIONS })).toBeNull();
      const message = await client.until(() => client.messages.find((m) => m.message.includes('no-such-nix-formatter-here')));
      expect(message.message).toContain('was not found');
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });

  it('is not run in an untrusted workspace: the built-in formatter answers', async () => {
    const client = await start(['tr', 'a-z', 'A-Z'], false);
    try {
      const uri = 'file:///project/external-untrusted.nix';
      await client.open(uri, '{a=b;}\n');
      const edits = await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS });
      expect(applied('{a=b;}\n', edits)).toBe('{ a = b; }\n');
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });
});
