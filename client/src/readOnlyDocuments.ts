// Text the extension shows but nobody edits — a build log, a package's documentation — as
// read-only documents of their own scheme: no Untitled tab that asks to be saved on close.
import * as vscode from 'vscode';

export const READ_ONLY_SCHEME = 'nix-nur';

const contents = new Map<string, string>();
let registration: vscode.Disposable | undefined;
let counter = 0;

function ensureProvider(): void {
  registration ??= vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, {
    provideTextDocumentContent: (uri) => contents.get(uri.toString()) ?? '',
  });
}

/** A read-only document named `name` (shown in its tab) holding `content`. */
export async function readOnlyDocument(name: string, content: string, language?: string): Promise<vscode.TextDocument> {
  ensureProvider();
  // A new URI each time: the same name shown twice (two build logs) must not show stale text.
  const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${name}`, query: String(++counter) });
  contents.set(uri.toString(), content);
  const document = await vscode.workspace.openTextDocument(uri);
  return language && document.languageId !== language ? vscode.languages.setTextDocumentLanguage(document, language) : document;
}

/** Forgets the text of documents that were closed. */
export function releaseClosedReadOnlyDocuments(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.workspace.onDidCloseTextDocument((document) => void contents.delete(document.uri.toString())));
}
