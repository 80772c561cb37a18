// Which NUR repository "Add Package…", "Add Module…", "Check Repository" and "Register
// Repository…" work on, settled before they ask anything: the one holding the active file, the
// only one in the workspace, or one the user picks among several. None: a message that says how
// to make one.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';

export async function chooseNurRepository(client: LanguageClient): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const file = active?.scheme === 'file' ? active.toString() : undefined;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.toString());
  let found: { repositories: string[] };
  try {
    found = (await client.sendRequest(ExecuteCommandRequest.type, { command: 'nixNur.nur.findRepositories', arguments: [{ file, folders }] })) as typeof found;
  } catch (error) {
    void vscode.window.showErrorMessage(`NUR: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const repositories = found.repositories.map((uri) => vscode.Uri.parse(uri));
  if (repositories.length === 1) return repositories[0];
  if (repositories.length === 0) {
    const create = 'Create Repository…';
    const choice = await vscode.window.showWarningMessage(
      'No NUR repository here: open a file of one (a folder with default.nix taking `pkgs`, and pkgs/), or create one.',
      create,
    );
    if (choice === create) await vscode.commands.executeCommand('nixNur.nur.createRepository');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    repositories.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, true), description: uri.fsPath, uri })),
    { title: 'NUR: which repository?' },
  );
  return picked?.uri;
}
