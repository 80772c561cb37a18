// Definitions that are web pages: an option whose nixpkgs source is not on disk answers with its
// declaration on GitHub. An editor cannot open an https document, so those open in the browser;
// files among the answers still open in the editor.
import * as vscode from 'vscode';

type DefinitionResult = vscode.Definition | vscode.LocationLink[] | null | undefined;

function targetOf(item: vscode.Location | vscode.LocationLink): vscode.Uri {
  return 'targetUri' in item ? item.targetUri : item.uri;
}

function isWebPage(uri: vscode.Uri): boolean {
  return uri.scheme === 'https' || uri.scheme === 'http';
}

export async function openWebDefinitions(result: DefinitionResult): Promise<DefinitionResult> {
  if (!result) return result;
  const items: (vscode.Location | vscode.LocationLink)[] = Array.isArray(result) ? result : [result];
  const pages = items.filter((item) => isWebPage(targetOf(item)));
  if (pages.length === 0) return result;
  const files = items.filter((item) => !isWebPage(targetOf(item)));
  if (files.length > 0) return files as vscode.Location[] | vscode.LocationLink[];
  await vscode.env.openExternal(targetOf(pages[0]!));
  return undefined;
}
