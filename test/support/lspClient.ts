// A minimal LSP client for tests: spawns the built server over stdio and speaks JSON-RPC to it,
// as an editor would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { ApplyWorkspaceEditParams, InitializeResult, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const repoRoot = join(__dirname, '..', '..');
export const serverPath = join(repoRoot, 'dist', 'server.js');

export interface TestClientOptions {
  initializationOptions?: unknown;
  /** Answers for workspace/configuration, by section. Without it the client lacks that capability. */
  configuration?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  rootUri?: string | null;
  /** Resource operations the client's workspace edits may hold (`rename` lets the server rename files). */
  resourceOperations?: string[];
  /** The client has workspace folders (and tells the server when they change). */
  workspaceFolders?: boolean;
  /** The `CompletionList.itemDefaults` the client applies (VS Code: `VSCODE_ITEM_DEFAULTS`); none without it. */
  completionItemDefaults?: string[];
  /** Options for the server's Node, before the script (`--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
}

/** What VS Code's language client declares in `textDocument.completion.completionList.itemDefaults`. */
export const VSCODE_ITEM_DEFAULTS = ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'];

export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  /** Messages shown to the user; `asRequest` when sent as `window/showMessageRequest`. */
  readonly messages: { type: number; message: string; asRequest?: boolean }[] = [];
  readonly logs: string[] = [];
  /** `$/progress` values in arrival order, with their tokens. */
  readonly progress: { token: unknown; value: { kind: string; title?: string; message?: string; percentage?: number } }[] = [];
  /** `nixNur/output` lines (build logs). */
  readonly output: string[] = [];
  stderr = '';
  /** The client's copy of every document it opened, kept in step with its own edits. */
  readonly texts = new Map<string, TextDocument>();
  private waiters: (() => void)[] = [];

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(options: TestClientOptions = {}): Promise<{ client: TestClient; initialize: InitializeResult }> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverPath, '--stdio'], { env: options.env ?? process.env, stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new TestClient(child, connection);
    child.stderr.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = client.diagnostics.get(params.uri) ?? [];
      list.push(params);
      client.diagnostics.set(params.uri, list);
      client.wake();
    });
    connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      client.messages.push(params);
      client.wake();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => void client.logs.push(params.message));
    connection.onNotification('$/progress', (params: TestClient['progress'][number]) => {
      client.progress.push(params);
      client.wake();
    });
    connection.onNotification('nixNur/output', (params: { line: string }) => {
      client.output.push(params.line);
      client.wake();
    });
    connection.onRequest('window/showMessageRequest', (params: { type: number; message: string }) => {
      client.messages.push({ ...params, asRequest: true });
      client.wake();
      return null;
    });
    connection.onRequest('client/registerCapability', () => null);
    // Like an editor: apply the edit to the open buffer (unsaved) and report the change back.
    connection.onRequest('workspace/applyEdit', async (params: ApplyWorkspaceEditParams) => {
      const files: [string, TextEdit[]][] = Object.entries(params.edit.changes ?? {});
      for (const change of params.edit.documentChanges ?? []) if ('textDocument' in change) files.push([change.textDocument.uri, change.edits as TextEdit[]]);
      for (const [uri, edits] of files) {
        const document = client.texts.get(uri);
        if (!document) return { applied: false, failureReason: `${uri} is not open` };
        const version = document.version + 1;
        const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
        await client.change(uri, version, sorted.map((edit) => ({ range: edit.range, text: edit.newText })));
      }
      client.appliedEdits.push(params);
      return { applied: true };
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => options.configuration?.[item.section ?? ''] ?? null),
    );
    connection.listen();
    const initialize = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      capabilities: {
        workspace: { configuration: options.configuration !== undefined, applyEdit: true, workspaceEdit: { documentChanges: true, ...(options.resourceOperations ? { resourceOperations: options.resourceOperations } : {}) }, workspaceFolders: options.workspaceFolders },
        textDocument: {
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] },
            ...(options.completionItemDefaults ? { completionList: { itemDefaults: options.completionItemDefaults } } : {}),
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { versionSupport: true },
        },
        window: { workDoneProgress: true },
      },
      initializationOptions: options.initializationOptions,
      workspaceFolders: null,
    })) as InitializeResult;
    await connection.sendNotification('initialized', {});
    return { client, initialize };
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Resolves when `condition` holds, re-checking on every notification; rejects after `timeoutMs`. */
  async until<T>(condition: () => T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The diagnostics published for a document at exactly this version. */
  diagnosticsFor(uri: string, version: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return this.until(
      () => this.diagnostics.get(uri)?.findLast((p) => p.version === version),
      timeoutMs,
      `diagnostics for ${uri} version ${version}`,
    );
  }

  /** Resolves once every index source is ready or off (`nixNur/status`); rejects after `timeoutMs`. */
  async untilIndexesReady(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.request<{ sources: { source: string; state: string }[] }>('nixNur/status', {});
      if (status.sources.every((s) => s.state === 'ready' || s.state === 'off')) return;
      if (Date.now() > deadline) throw new Error(`indexes not ready: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Workspace edits the server asked the client to apply. */
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];

  open(uri: string, text: string, version = 1): Promise<void> {
    this.texts.set(uri, TextDocument.create(uri, 'nix', version, text));
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version, text } });
  }

  close(uri: string): Promise<void> {
    this.texts.delete(uri);
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  change(uri: string, version: number, contentChanges: ({ range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string } | { text: string })[]): Promise<void> {
    const document = this.texts.get(uri);
    if (document) this.texts.set(uri, TextDocument.update(document, contentChanges, version));
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** shutdown + exit, then waits for the process; returns its exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
    if (this.process.exitCode === null) {
      await this.connection.sendRequest('shutdown').catch(() => undefined);
      await this.connection.sendNotification('exit').catch(() => undefined);
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }
}
