// VS Code entry: starts the bundled language server and connects it to Nix documents.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const configured = vscode.workspace.getConfiguration('nixNur').get<string>('server.path')?.trim();
  const module = configured || context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nix' },
      { scheme: 'untitled', language: 'nix' },
    ],
    synchronize: { configurationSection: 'nixNur' },
    initializationOptions: {
      nixNur: vscode.workspace.getConfiguration().get('nixNur'),
      cacheDirectory: context.globalStorageUri.fsPath,
      trusted: vscode.workspace.isTrusted,
    },
  };
  client = new LanguageClient('nixNur', 'Nix & NUR', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
