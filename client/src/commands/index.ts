// The commands VS Code shows in its palette and code lenses: pickers and messages around the
// server's `workspace/executeCommand`s.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { buildAndShow, registerBuildCommands } from './build';
import { registerFlakeCommands, runFlakeCommand } from './flake';
import { registerNurCommands } from './nur';
import { registerSearchCommand } from './search';

export interface CommandEnvironment {
  buildOutput: vscode.OutputChannel;
}

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, environment: CommandEnvironment): void {
  registerBuildCommands(context, client, environment.buildOutput);
  registerFlakeCommands(context, client);
  registerNurCommands(context, client, environment.buildOutput);
  registerSearchCommand(context, client);
}

/**
 * Server commands that code lenses invoke: run them with the same progress notification and
 * result messages as the palette's versions, instead of silently.
 */
export function presentServerCommand(client: LanguageClient, environment: CommandEnvironment, command: string, args: unknown[]): Promise<unknown> | undefined {
  const argument = (args[0] ?? {}) as never;
  switch (command) {
    case 'nixNur.build':
      return buildAndShow(client, environment.buildOutput, argument);
    case 'nixNur.flake.update':
    case 'nixNur.flake.pin':
    case 'nixNur.flake.unpin':
      return runFlakeCommand(client, command, argument);
    default:
      return undefined;
  }
}
