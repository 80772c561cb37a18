// `nix-nur-language-server` / `node dist/server.js --stdio`: the process entry.
import { join } from 'node:path';
import { createConnection, ProposedFeatures, type MessageReader } from 'vscode-languageserver/node';
import { FORMAT_USAGE, runFormatCommand } from './formatCli';
import { tuneHeap } from './heapTuning';
import { killAllProcessesNow } from './nix/process';
import { useProcessGuardian } from './nix/processGuardian';
import { SERVER_NAME, startServer } from './server';
import { keepConsoleOffStdout, WholeMessageWriter } from './stdioTransport';

declare const NIX_NUR_VERSION: string;
const version = typeof NIX_NUR_VERSION === 'string' ? NIX_NUR_VERSION : '0.0.0-dev';

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${SERVER_NAME} ${version}\n`);
  process.exit(0);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    [
      `Usage: ${SERVER_NAME} [--stdio | --node-ipc | --socket=PORT] [--clientProcessId=PID]`,
      `       ${SERVER_NAME} ${FORMAT_USAGE.join('\n')}`,
      '',
      'A language server for Nix that knows nixpkgs, NixOS options, flakes and NUR.',
      'Speaks the Language Server Protocol; editors start it with --stdio.',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
if (args.includes('--format')) {
  void runFormatCommand(args).then(
    (status) => process.exit(status),
    (error: unknown) => {
      process.stderr.write(`${SERVER_NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
} else {
  startLanguageServer();
}

function startLanguageServer(): void {
  if (!args.some((arg) => arg === '--stdio' || arg === '--node-ipc' || arg.startsWith('--socket') || arg.startsWith('--pipe'))) {
    // Editors that start the server without a transport flag expect stdio.
    process.argv.push('--stdio');
  }

  tuneHeap();

  // Nix processes we started must not outlive us, however we exit: the exit path ends them, and a
  // guardian process ends them should we be killed before it runs.
  useProcessGuardian(join(__dirname, 'processGuardian.js'));
  process.on('exit', killAllProcessesNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => process.exit(0));
  // A bug in one handler must not take the editor's language support down with it.
  process.on('uncaughtException', (error) => process.stderr.write(`${SERVER_NAME}: uncaught ${error.stack ?? error}\n`));
  process.on('unhandledRejection', (reason) => process.stderr.write(`${SERVER_NAME}: unhandled ${String(reason)}\n`));

  // Over stdio (what editors use), each message is written whole (see stdioTransport.ts); other
  // transports as the library makes them.
  const stdio = process.argv.includes('--stdio');
  if (stdio) keepConsoleOffStdout();
  // Standard input is given as the stream it is (the library reads it, and ends the server when the
  // editor closes it); the overloads want a reader beside a writer, so its type is asserted.
  const connection = stdio
    ? createConnection(ProposedFeatures.all, process.stdin as unknown as MessageReader, new WholeMessageWriter(process.stdout))
    : createConnection(ProposedFeatures.all);
  startServer(connection, { version });
}
