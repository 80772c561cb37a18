// The language server: lifecycle and capabilities. The handlers live in documentHandlers.ts,
// languageHandlers.ts and commandHandler.ts; what they share is in serverState.ts. These are the
// only modules that know the LSP connection; everything they call answers with plain data.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { CommandRegistry } from './commandRegistry';
import { registerCommandHandler } from './commandHandler';
import { registerBuildCommands } from './commands/build';
import { registerFlakeCommands } from './commands/flake';
import { registerKnowledgeCommands } from './commands/knowledge';
import { registerNurCommands } from './commands/nur';
import { registerConfigurationCommands } from './commands/configurations';
import { registerDocumentHandlers } from './documentHandlers';
import { registerHintHandlers } from './hintHandlers';
import { registerFormattingHandlers } from './formattingHandlers';
import { registerLanguageHandlers } from './languageHandlers';
import { registerSemanticTokensHandlers, SEMANTIC_TOKENS_LEGEND } from './semanticTokensHandlers';
import { checkingParams } from './requestParams';
import { defaultBuiltins } from './analysis/builtins';
import { installedBuiltins } from './nix/builtinsDump';
import { killAllProcesses } from './nix/process';
import { REFACTOR_KINDS } from './refactorActions';
import { ServerState } from './serverState';
import { savedEditApplier } from './workspaceEdits';

export const SERVER_NAME = 'nix-nur-language-server';

export interface ServerOptions {
  version: string;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  const state = new ServerState(connection);
  const commands = new CommandRegistry();

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    await state.initialize(params);
    registerCommands(connection, state, commands);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        documentSymbolProvider: { label: 'Nix' },
        workspaceSymbolProvider: true,
        // Literals naming a `.nix` file follow it when it is renamed in the editor.
        workspace: {
          workspaceFolders: { supported: true, changeNotifications: true },
          fileOperations: { willRename: { filters: [{ scheme: 'file', pattern: { glob: '**/*.nix' } }] } },
        },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        completionProvider: { triggerCharacters: ['.', '"', '/', ':'], resolveProvider: true },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, ...REFACTOR_KINDS] },
        executeCommandProvider: { commands: commands.ids() },
        inlayHintProvider: { resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: [' '], retriggerCharacters: [' '] },
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: { delta: true }, range: true },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
      },
      serverInfo: { name: SERVER_NAME, version: options.version },
    };
  });

  connection.onInitialized(async () => {
    // The installed Nix describes its own builtins (docs and arguments); the committed table
    // stands in until then, and for good when there is no Nix.
    void installedBuiltins(defaultBuiltins, state.services?.nixProgram('nix'), { env: state.services?.nixEnv(), timeoutMs: 20_000 }).then((installed) => {
      state.setBuiltins(installed.table);
      if (installed.error) state.log(`builtins: using the built-in table (${installed.error})`);
    });
    if (state.client.watchFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/flake.lock' }, { globPattern: '**/*.nix' }],
        })
        .catch(() => undefined);
    }
    if (state.client.pullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'nixNur' }).catch(() => undefined);
      await state.refreshSettings();
    }
    // Indexes load in the background; requests answer from whatever is loaded meanwhile.
    state.knowledge?.start();
    state.configurations?.start();
    state.startWorkspaceIndex();
    try {
      connection.workspace.onDidChangeWorkspaceFolders((event) => state.changeWorkspaceFolders(event));
    } catch {
      // The client has no workspace folders to change.
    }
    state.refreshWhenIndexesSettle();
  });

  connection.onDidChangeConfiguration(async (change) => {
    await state.refreshSettings((change.settings as { nixNur?: unknown } | undefined)?.nixNur);
    state.refreshAll();
  });

  connection.onNotification('nixNur/setTrusted', (params: { trusted?: boolean }) => state.setTrusted(params?.trusted === true));

  registerDocumentHandlers(connection, state);
  registerLanguageHandlers(checkingParams(connection), state);
  registerSemanticTokensHandlers(checkingParams(connection), state);
  registerHintHandlers(checkingParams(connection), state);
  registerFormattingHandlers(checkingParams(connection), state);
  registerCommandHandler(checkingParams(connection), state, commands);

  connection.onShutdown(() => {
    state.dispose();
    killAllProcesses();
  });

  connection.listen();
}

function registerCommands(connection: Connection, state: ServerState, commands: CommandRegistry): void {
  const services = state.services!;
  const applyEdit = savedEditApplier(services.documents, {
    applyEditInEditor: async (edit) => (await connection.workspace.applyEdit(edit)).applied,
    saveInEditor: (uri) =>
      connection.sendRequest('nixNur/saveDocument', { uri }).then(
        (saved) => saved === true,
        () => false,
      ),
  });
  registerBuildCommands(commands, services);
  registerConfigurationCommands(commands, () => state.configurations);
  registerKnowledgeCommands(commands, () => state.knowledge, () => state.builtins);
  registerFlakeCommands(commands, services, applyEdit, () => state.refreshAll());
  registerNurCommands(commands, services, applyEdit, (name) => state.lookupNurRepo(name), () => {
    state.nurRepositories?.forget();
    state.refreshAll();
  });
}
