// "Nix: Build…", the Build code lenses, and what happens after a build: the store path, the
// output, or the log of a failure.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { readOnlyDocument, releaseClosedReadOnlyDocuments } from '../readOnlyDocuments';
import { activeFolder, errorMessage, runServerCommand } from '../serverCommands';
import { failedBuildMessage } from './buildMessages';

interface BuildParams {
  installable?: string;
  file?: string;
  attr?: string;
  cwd: string;
}

type BuildResult =
  | { status: 'succeeded'; label?: string; outputs: string[] }
  | { status: 'failed'; label?: string; message: string; logId?: string }
  | { status: 'cancelled'; label?: string };

interface Buildable {
  attribute: string;
  name?: string;
  description?: string;
  params: BuildParams;
}

export function registerBuildCommands(context: vscode.ExtensionContext, client: LanguageClient, buildOutput: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('nixNur.buildPick', () => pickAndBuild(client, buildOutput)),
    vscode.commands.registerCommand('nixNur.copyStorePath', (path: string) => vscode.env.clipboard.writeText(path)),
  );
  releaseClosedReadOnlyDocuments(context);
}

async function pickAndBuild(client: LanguageClient, buildOutput: vscode.OutputChannel): Promise<void> {
  const folder = activeFolder();
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder with a flake.nix or a default.nix to build from it.');
    return;
  }
  let listing: { ok: true; buildables: Buildable[]; system?: string } | { ok: false; message: string };
  try {
    listing = await runServerCommand(client, 'nixNur.listBuildables', { cwd: folder.uri.toString() }, { title: 'Finding buildable attributes', notification: false });
  } catch (error) {
    void vscode.window.showErrorMessage(`Nix: ${errorMessage(error)}`);
    return;
  }
  if (!listing.ok) {
    void vscode.window.showErrorMessage(`Nix: ${listing.message}`);
    return;
  }
  if (listing.buildables.length === 0) {
    void vscode.window.showInformationMessage(`Nix: nothing to build in ${folder.name}.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    listing.buildables.map((buildable) => ({
      label: buildable.attribute,
      description: buildable.name,
      detail: buildable.description,
      buildable,
    })),
    { title: 'Nix: Build', placeHolder: listing.system ? `Packages for ${listing.system}` : 'Attribute to build', matchOnDescription: true },
  );
  if (picked) await buildAndShow(client, buildOutput, picked.buildable.params);
}

/** Builds with a progress notification and says how it went. Used by the picker and the lenses. */
export async function buildAndShow(client: LanguageClient, buildOutput: vscode.OutputChannel, params: BuildParams): Promise<BuildResult | undefined> {
  const label = params.installable ?? `${params.file ?? 'default.nix'} -A ${params.attr ?? ''}`;
  buildOutput.appendLine(`── nix build ${label}`);
  let result: BuildResult;
  try {
    result = await runServerCommand<BuildResult>(client, 'nixNur.build', params, { title: `Nix: building ${label}` });
  } catch (error) {
    void vscode.window.showErrorMessage(`Nix: ${errorMessage(error)}`);
    return undefined;
  }
  if (result.status === 'succeeded') {
    const [first] = result.outputs;
    buildOutput.appendLine(`built ${label}: ${result.outputs.join(' ')}`);
    const choice = await vscode.window.showInformationMessage(`Built ${result.label ?? label}: ${first ?? '(no outputs)'}`, 'Copy Store Path', 'Open Output');
    if (choice === 'Copy Store Path' && first) await vscode.env.clipboard.writeText(first);
    if (choice === 'Open Output' && first) await openOutput(first);
  } else if (result.status === 'failed') {
    buildOutput.appendLine(result.message);
    const choice = await vscode.window.showErrorMessage(failedBuildMessage(result.message), 'Show Full Log', 'Show Output');
    if (choice === 'Show Full Log' && result.logId) await showLog(client, result.logId);
    if (choice === 'Show Output') buildOutput.show(true);
  } else {
    void vscode.window.showInformationMessage(`Nix: the build of ${label} was cancelled.`);
  }
  return result;
}

async function showLog(client: LanguageClient, logId: string): Promise<void> {
  try {
    const log = await runServerCommand<{ title: string; text: string }>(client, 'nixNur.showBuildLog', { logId }, { title: 'Build log', notification: false });
    const name = `${log.title.replace(/[\\/]/g, '_') || 'build'}.log`;
    await vscode.window.showTextDocument(await readOnlyDocument(name, log.text, 'log'), { preview: true });
  } catch (error) {
    void vscode.window.showErrorMessage(`Nix: ${errorMessage(error)}`);
  }
}

/** A file output opens in the editor; a directory shows its files to pick from. */
async function openOutput(storePath: string): Promise<void> {
  const uri = vscode.Uri.file(storePath);
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.File) {
    await vscode.window.showTextDocument(uri, { preview: true });
    return;
  }
  const files: string[] = [];
  const walk = async (dir: vscode.Uri, prefix: string) => {
    for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
      if (files.length >= 500) return;
      if (type & vscode.FileType.Directory) await walk(vscode.Uri.joinPath(dir, name), `${prefix}${name}/`);
      else files.push(`${prefix}${name}`);
    }
  };
  await walk(uri, '');
  const picked = await vscode.window.showQuickPick(files, { title: storePath, placeHolder: 'Open a file of the output' });
  if (picked) await vscode.window.showTextDocument(vscode.Uri.joinPath(uri, picked), { preview: true });
}
