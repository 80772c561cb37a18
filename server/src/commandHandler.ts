// workspace/executeCommand: every workflow command, with cancellation, progress (the client's
// workDoneToken first), log lines and errors the user can read.
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { CommandArgumentError, CommandError, type CommandContext, type CommandRegistry, type ProgressReporter } from './commandRegistry';
import type { ServerState } from './serverState';

export function registerCommandHandler(connection: Connection, state: ServerState, commands: CommandRegistry): void {
  connection.onExecuteCommand(async (params, token, workDoneProgress) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const progresses: Promise<ProgressReporter>[] = [];
    // A client that sent a workDoneToken shows the command's first progress itself (VS Code: a
    // notification with a cancel button); later ones are created by the server.
    let attached = params.workDoneToken !== undefined ? workDoneProgress : undefined;
    const context: CommandContext = {
      signal: controller.signal,
      trusted: state.trusted,
      progress: (title, cancellable = true) => {
        const started = state.startProgress(title, cancellable, () => controller.abort(), attached);
        attached = undefined;
        progresses.push(started);
        return {
          report: (message, percentage) => void started.then((p) => p.report(message, percentage)),
          done: (message) => void started.then((p) => p.done(message)),
        };
      },
      output: (line) =>
        state.client.outputNotifications
          ? void connection.sendNotification('nixNur/output', { command: params.command, line })
          : connection.console.log(line),
    };
    try {
      return await commands.execute(params.command, params.arguments, context);
    } catch (error) {
      if (error instanceof CommandArgumentError) throw new ResponseError(ErrorCodes.InvalidParams, error.message, error.details);
      if (error instanceof CommandError) throw new ResponseError(ErrorCodes.InvalidRequest, error.message, error.details);
      state.log(`command ${params.command} failed: ${error instanceof Error ? error.stack : String(error)}`);
      throw new ResponseError(ErrorCodes.InternalError, `${params.command} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      // A command that forgot to end its progress must not leave a spinner behind.
      for (const started of progresses) void started.then((p) => p.done());
    }
  });
}
