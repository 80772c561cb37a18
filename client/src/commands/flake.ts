// "Nix: Update Flake Input…", "Nix: Update All Flake Inputs", "Nix: Pin Flake Input…",
// "Nix: Unpin Flake Input…", and the Update / Pin code lenses.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorMessage, runServerCommand } from '../serverCommands';

interface InputSummary {
  name: string;
  url?: string;
  follows?: string;
  description: string;
  rev?: string;
}

interface FlakeArgs {
  flake: string;
  input?: string;
  rev?: string;
  ref?: string;
}

export function registerFlakeCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('nixNur.updateFlakeInput', async () => {
      const flake = await pickFlake();
      const input = flake && (await pickInput(client, flake, 'Update flake input'));
      if (flake && input) await runFlakeCommand(client, 'nixNur.flake.update', { flake, input: input.name });
    }),
    vscode.commands.registerCommand('nixNur.updateAllFlakeInputs', async () => {
      const flake = await pickFlake();
      if (flake) await runFlakeCommand(client, 'nixNur.flake.update', { flake });
    }),
    vscode.commands.registerCommand('nixNur.pinFlakeInput', async () => {
      const flake = await pickFlake();
      const input = flake && (await pickInput(client, flake, 'Pin flake input to its locked revision'));
      if (flake && input) await runFlakeCommand(client, 'nixNur.flake.pin', { flake, input: input.name });
    }),
    vscode.commands.registerCommand('nixNur.unpinFlakeInput', async () => {
      const flake = await pickFlake();
      const input = flake && (await pickInput(client, flake, 'Unpin flake input'));
      if (!flake || !input) return;
      const ref = await vscode.window.showInputBox({
        title: `Unpin ${input.name}`,
        prompt: 'Branch to follow (empty: the branch recorded in flake.lock, or the default branch)',
        placeHolder: 'nixos-unstable',
      });
      if (ref === undefined) return;
      await runFlakeCommand(client, 'nixNur.flake.unpin', { flake, input: input.name, ...(ref.trim() ? { ref: ref.trim() } : {}) });
    }),
  );
}

/** Runs an update, pin or unpin with a progress notification and reports what changed. */
export async function runFlakeCommand(client: LanguageClient, command: string, args: FlakeArgs): Promise<void> {
  const what = command.endsWith('update') ? (args.input ? `Updating ${args.input}` : 'Updating all inputs') : command.endsWith('unpin') ? `Unpinning ${args.input}` : `Pinning ${args.input}`;
  try {
    const result = await runServerCommand<{ summary?: string; warnings?: string[] }>(client, command, args, { title: `Nix: ${what}` });
    const warnings = result.warnings?.length ? ` (${result.warnings.join('; ')})` : '';
    void vscode.window.showInformationMessage(`${result.summary ?? 'Done'}${warnings}`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Nix: ${errorMessage(error)}`);
  }
}

/** The active flake.nix, or one picked from the workspace. */
async function pickFlake(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith('/flake.nix')) return active.toString();
  const flakes = await vscode.workspace.findFiles('**/flake.nix', '**/node_modules/**', 50);
  if (flakes.length === 0) {
    void vscode.window.showWarningMessage('There is no flake.nix in this workspace.');
    return undefined;
  }
  if (flakes.length === 1) return flakes[0].toString();
  const picked = await vscode.window.showQuickPick(
    flakes.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Which flake?' },
  );
  return picked?.uri.toString();
}

async function pickInput(client: LanguageClient, flake: string, title: string): Promise<InputSummary | undefined> {
  let inputs: InputSummary[];
  try {
    ({ inputs } = await runServerCommand<{ inputs: InputSummary[] }>(client, 'nixNur.flake.inputs', { flake }, { title: 'Reading flake inputs', notification: false }));
  } catch (error) {
    void vscode.window.showErrorMessage(`Nix: ${errorMessage(error)}`);
    return undefined;
  }
  const own = inputs.filter((input) => !input.follows);
  if (own.length === 0) {
    void vscode.window.showInformationMessage('This flake has no inputs of its own.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    own.map((input) => ({ label: input.name, description: input.description, detail: input.url, input })),
    { title, matchOnDescription: true },
  );
  return picked?.input;
}
