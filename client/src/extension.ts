// VS Code entry: starts the bundled language server, connects it to Nix documents, and adds the
// editor-only parts: trust, an output channel for build logs, and the commands' pickers.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { presentServerCommand, registerCommands } from './commands';
import { registerStatus } from './status';
import { registerConfigurationStatus } from './configurations';
import { registerNixTasks } from './tasks';
import { openWebDefinitions } from './webDefinitions';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const configured = vscode.workspace.getConfiguration('nixNur').get<string>('server.path')?.trim();
  const module = configured || context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const output = vscode.window.createOutputChannel('Nix', { log: true });
  const buildOutput = vscode.window.createOutputChannel('Nix Build');
  context.subscriptions.push(output, buildOutput);

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nix' },
      { scheme: 'untitled', language: 'nix' },
    ],
    synchronize: { configurationSection: 'nixNur' },
    outputChannel: output,
    middleware: {
      executeCommand: (command, args, next) =>
        (client && presentServerCommand(client, { buildOutput }, command, args)) ?? next(command, args),
      provideDefinition: async (document, position, token, next) => openWebDefinitions(await next(document, position, token)),
    },
    initializationOptions: {
      nixNur: vscode.workspace.getConfiguration().get('nixNur'),
      cacheDirectory: context.globalStorageUri.fsPath,
      trusted: vscode.workspace.isTrusted,
      outputNotifications: true,
    },
  };
  client = new LanguageClient('nixNur', 'Nix & NUR', serverOptions, clientOptions);
  context.subscriptions.push(client);

  // Trusting a workspace lets the server evaluate and build its Nix code from then on.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('nixNur/setTrusted', { trusted: true })),
  );
  await client.start();
  context.subscriptions.push(
    client.onNotification('nixNur/output', (params: { line: string }) => buildOutput.appendLine(params.line)),
    // Nix reads files from disk: after the server edits an open flake.nix it asks for a save.
    client.onRequest('nixNur/saveDocument', async (params: { uri: string }) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === params.uri);
      return document ? document.save() : false;
    }),
  );
  registerCommands(context, client, { buildOutput });
  registerStatus(context, client);
  registerConfigurationStatus(context, client);
  // Tasks run the workspace's Nix code: only once the workspace is trusted.
  if (vscode.workspace.isTrusted) registerNixTasks(context);
  else context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => registerNixTasks(context)));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
