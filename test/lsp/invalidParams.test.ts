// Params of the wrong shape answer -32602 (InvalidParams) with a sentence, for every request the
// server handles and every command it lists — never -32603 with a JavaScript TypeError (a hover
// with `{}` answered "Cannot read properties of undefined (reading 'uri')").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/lspClient';

const uri = 'file:///project/a.nix';
const badParams: unknown[] = [
  null,
  42,
  [],
  {},
  { textDocument: 5 },
  { textDocument: { uri: 5 }, position: 'a' },
  { textDocument: { uri }, position: null },
  { textDocument: { uri } },
  { textDocument: { uri }, position: { line: -1, character: 'x' } },
  { textDocument: { uri }, position: { line: 0, character: 2 }, positions: 3, range: 5, context: 7, newName: 4 },
];
const requests = [
  'textDocument/hover',
  'textDocument/completion',
  'completionItem/resolve',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/documentHighlight',
  'textDocument/documentSymbol',
  'textDocument/foldingRange',
  'textDocument/selectionRange',
  'textDocument/codeLens',
  'textDocument/codeAction',
  'textDocument/rename',
  'textDocument/prepareRename',
  'textDocument/documentLink',
  'workspace/executeCommand',
];
const badArguments: unknown[] = [
  [42],
  ['x'],
  [[]],
  [{ cwd: 5, flake: 5, repo: 5, directory: 5, name: 5, query: 5, source: 5, path: 5, logId: 5, installable: 5, input: 5 }],
  [{ cwd: 'file:///nope', flake: 'file:///nope/flake.nix', repo: 'file:///nope', directory: 'nope', name: {}, query: [], source: {}, path: 7, input: [] }],
];

async function errorOf(promise: Promise<unknown>): Promise<{ code?: number; message?: string } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as { code: number; message: string };
  }
}

describe('invalid params', () => {
  let client: TestClient;
  let commands: string[];
  beforeAll(async () => {
    let initialize;
    ({ client, initialize } = await TestClient.start({}));
    commands = initialize.capabilities.executeCommandProvider?.commands ?? [];
    await client.open(uri, '{ a = 1; }');
  });
  afterAll(async () => {
    expect(await client.stop()).toBe(0);
  });

  it('every request answers a malformed params object with -32602 and a plain message', async () => {
    const wrong: string[] = [];
    for (const method of requests) {
      for (const params of badParams) {
        const error = await errorOf(client.request(method, params));
        // Some shapes are acceptable for some requests (a document symbol needs no position).
        if (error && (error.code !== -32602 || /TypeError|Cannot read|is not a function/.test(error.message ?? ''))) {
          wrong.push(`${method} ${JSON.stringify(params)}: ${error.code} ${error.message}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(await errorOf(client.request('textDocument/hover', {}))).toMatchObject({ code: -32602, message: "'textDocument' must be { uri } with the document's URI." });
  });

  it('every command answers arguments of the wrong shape with -32602', async () => {
    expect(commands.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const command of commands) {
      for (const args of badArguments) {
        const error = await errorOf(client.request('workspace/executeCommand', { command, arguments: args }));
        if (error && error.code !== -32602) wrong.push(`${command} ${JSON.stringify(args)}: ${error.code} ${error.message}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await errorOf(client.request('workspace/executeCommand', { command: 'nixNur.nur.scaffold', arguments: [{}] }))).toMatchObject({
      code: -32602,
      message: "'directory' must be a file URI.",
    });
    expect(await errorOf(client.request('workspace/executeCommand', { command: 'nixNur.nope', arguments: [] }))).toMatchObject({ code: -32602 });
  });
});
