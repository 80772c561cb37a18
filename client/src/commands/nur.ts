// "NUR: Create Repository…", "NUR: Add Package…", "NUR: Add Module…", "NUR: Check Repository",
// "NUR: Register Repository…": pickers and results around the server's NUR commands.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { activeFolder, errorMessage, runServerCommand } from '../serverCommands';
import { buildAndShow } from './build';
import { chooseNurRepository } from './nurRepositoryPicker';

const BUILDERS = [
  { label: 'stdenv.mkDerivation', description: 'C, C++, make, autotools, cmake, meson' },
  { label: 'buildGoModule', description: 'Go modules' },
  { label: 'rustPlatform.buildRustPackage', description: 'Rust crates' },
  { label: 'python3Packages.buildPythonApplication', description: 'Python applications' },
  { label: 'buildNpmPackage', description: 'Node.js packages' },
];

/** NUR names: lowercase letters, digits, `-` and `_` (the GitHub user is the usual choice). */
const NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function registerNurCommands(context: vscode.ExtensionContext, client: LanguageClient, buildOutput: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('nixNur.nur.createRepository', () => createRepository(client)),
    vscode.commands.registerCommand('nixNur.nur.addPackageInteractive', () => addPackage(client, buildOutput)),
    vscode.commands.registerCommand('nixNur.nur.addModuleInteractive', () => addModule(client)),
    vscode.commands.registerCommand('nixNur.nur.checkRepository', () => checkRepository(client)),
    vscode.commands.registerCommand('nixNur.nur.registerRepository', () => registration(client)),
  );
}

async function createRepository(client: LanguageClient): Promise<void> {
  const folders = await vscode.window.showOpenDialog({
    title: 'NUR: folder for the new repository (empty or new)',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: activeFolder()?.uri,
    openLabel: 'Create Here',
  });
  if (!folders?.[0]) return;
  const name = await vscode.window.showInputBox({
    title: 'NUR: repository name',
    prompt: 'The name under nur.repos (usually your GitHub user name)',
    validateInput: (value) => (NAME.test(value) ? undefined : 'Lowercase letters, digits, - and _'),
  });
  if (!name) return;
  // In an untrusted workspace the server runs no git (a `.git` there could hold hooks).
  const gitInit =
    vscode.workspace.isTrusted && (await vscode.window.showQuickPick(['Yes', 'No'], { title: 'Initialise a git repository with a first commit?' })) === 'Yes';
  try {
    const result = await runServerCommand<{ directory: string; files: string[]; git?: { problem?: string } }>(
      client,
      'nixNur.nur.scaffold',
      // The user chose this directory in the dialog: it may lie outside the workspace folders.
      { directory: folders[0].toString(), name, gitInit, pickedByUser: true },
      { title: `NUR: creating ${name}` },
    );
    const readme = result.files.find((file) => file.endsWith('/README.md'));
    const defaultNix = result.files.find((file) => file.endsWith('/default.nix') && !file.includes('/pkgs/'));
    if (defaultNix) await vscode.window.showTextDocument(vscode.Uri.parse(defaultNix));
    const note = result.git?.problem ? ` (git: ${result.git.problem})` : '';
    const choice = await vscode.window.showInformationMessage(`Created NUR repository '${name}' with ${result.files.length} files${note}.`, 'Open Folder', 'Show README');
    if (choice === 'Open Folder') await vscode.commands.executeCommand('vscode.openFolder', folders[0], { forceNewWindow: false });
    if (choice === 'Show README' && readme) await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.parse(readme));
  } catch (error) {
    void vscode.window.showErrorMessage(`NUR: ${errorMessage(error)}`);
  }
}

async function addPackage(client: LanguageClient, buildOutput: vscode.OutputChannel): Promise<void> {
  const repo = await chooseNurRepository(client);
  if (!repo) return;
  const name = await vscode.window.showInputBox({
    title: 'NUR: package name',
    validateInput: (value) => (/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(value) && !value.includes('..') ? undefined : 'A Nix attribute name without / or ..'),
  });
  if (!name) return;
  const builder = await vscode.window.showQuickPick(BUILDERS, { title: `NUR: how is ${name} built?` });
  if (!builder) return;
  const source = await vscode.window.showInputBox({
    title: 'NUR: source on GitHub (optional)',
    prompt: 'owner/repo@rev — a tag or commit; empty for a local source',
    placeHolder: 'BurntSushi/ripgrep@14.1.1',
  });
  if (source === undefined) return;
  try {
    const result = await runServerCommand<{ created: string[]; installable: { file: string; attr: string }; notes: string[] }>(
      client,
      'nixNur.nur.addPackage',
      { repo: repo.toString(), name, builder: builder.label, ...(source.trim() ? { source: source.trim() } : {}) },
      { title: `NUR: adding ${name}`, notification: false },
    );
    if (result.created[0]) await vscode.window.showTextDocument(vscode.Uri.parse(result.created[0]));
    // The notes already say what to do next (build once to learn the hashes): said once.
    const notes = result.notes.length ? ` ${result.notes.join(' ')}` : '';
    const choice = await vscode.window.showInformationMessage(`Added ${name}.${notes}`, 'Build');
    if (choice === 'Build') await buildAndShow(client, buildOutput, { file: result.installable.file, attr: result.installable.attr, cwd: repo.toString() });
  } catch (error) {
    void vscode.window.showErrorMessage(`NUR: ${errorMessage(error)}`);
  }
}

async function addModule(client: LanguageClient): Promise<void> {
  const repo = await chooseNurRepository(client);
  if (!repo) return;
  const name = await vscode.window.showInputBox({
    title: 'NUR: module name',
    validateInput: (value) => (/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(value) ? undefined : 'Letters, digits, - and _'),
  });
  if (!name) return;
  try {
    const result = await runServerCommand<{ created: string[] }>(client, 'nixNur.nur.addModule', { repo: repo.toString(), name }, { title: `NUR: adding module ${name}`, notification: false });
    if (result.created[0]) await vscode.window.showTextDocument(vscode.Uri.parse(result.created[0]));
  } catch (error) {
    void vscode.window.showErrorMessage(`NUR: ${errorMessage(error)}`);
  }
}

async function checkRepository(client: LanguageClient): Promise<void> {
  const repo = await chooseNurRepository(client);
  if (!repo) return;
  try {
    const result = await runServerCommand<{ ok: boolean; message: string; packages: { attr: string; name: string }[] }>(
      client,
      'nixNur.nur.check',
      { repo: repo.toString() },
      { title: 'NUR: evaluating as NUR does' },
    );
    if (result.ok) {
      const list = result.packages.map((p) => p.name).join(', ');
      void vscode.window.showInformationMessage(`${result.message}${list ? ` ${list}` : ''}`);
    } else {
      void vscode.window.showErrorMessage(result.message, 'Show Problems').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`NUR: ${errorMessage(error)}`);
  }
}

async function registration(client: LanguageClient): Promise<void> {
  const repo = await chooseNurRepository(client);
  if (!repo) return;
  try {
    const result = await runServerCommand<{ name: string; availability: string; snippet: string; problems: string[]; steps: string }>(
      client,
      'nixNur.nur.registration',
      { repo: repo.toString() },
      { title: 'NUR: preparing the registration', notification: false },
    );
    const header = [`# Registering '${result.name}' in NUR`, '', `Name: **${result.availability}**`, '', '```json', result.snippet, '```', ''];
    const problems = result.problems.length ? ['## Before you open the pull request', '', ...result.problems.map((p) => `- ${p}`), ''] : [];
    const document = await vscode.workspace.openTextDocument({ content: [...header, ...problems, result.steps].join('\n'), language: 'markdown' });
    await vscode.window.showTextDocument(document, { preview: true });
  } catch (error) {
    void vscode.window.showErrorMessage(`NUR: ${errorMessage(error)}`);
  }
}
