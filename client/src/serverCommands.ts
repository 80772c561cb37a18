// Runs the server's workspace/executeCommand with the editor's own progress notification: the
// client passes a workDoneToken, shows the server's $/progress for it, and cancels the request
// when the user presses Cancel.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, WorkDoneProgress, type LanguageClient, type WorkDoneProgressBegin, type WorkDoneProgressReport } from 'vscode-languageclient/node';

export interface ServerCommandOptions {
  /** Shown until the server's own progress title arrives. */
  title: string;
  /** Run with a notification (long commands) or silently in the status bar. */
  notification?: boolean;
}

export class ServerCommandError extends Error {
  constructor(
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export async function runServerCommand<T>(client: LanguageClient, command: string, argument: object, options: ServerCommandOptions): Promise<T> {
  const location = options.notification === false ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
  return vscode.window.withProgress({ location, title: options.title, cancellable: true }, async (progress, cancel) => {
    const token = randomUUID();
    let reported = 0;
    const subscription = client.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === 'end') return;
      const step = value as WorkDoneProgressBegin | WorkDoneProgressReport;
      const percentage = step.percentage ?? reported;
      const message = value.kind === 'begin' ? (value.message ?? value.title) : value.message;
      progress.report({ message, increment: Math.max(0, percentage - reported) });
      reported = Math.max(reported, percentage);
    });
    const cancellation = new vscode.CancellationTokenSource();
    cancel.onCancellationRequested(() => cancellation.cancel());
    try {
      return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument], workDoneToken: token }, cancellation.token)) as T;
    } catch (error) {
      const failure = error as { message?: string; data?: unknown };
      throw new ServerCommandError(failure.message ?? String(error), failure.data);
    } finally {
      subscription.dispose();
      cancellation.dispose();
    }
  });
}

/** The workspace folder of the active editor, or the first one. */
export function activeFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
