// Applying edits that Nix will read from disk. An open document is edited in the editor (one
// undoable edit) and then saved; if the editor cannot save on request, the edited text is written
// to disk. A file that is not open is edited on disk directly.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { DocumentStore } from './syntax/documentStore';

export interface EditorHooks {
  /** Applies an edit in the editor (`workspace/applyEdit`); false when refused. */
  applyEditInEditor(edit: WorkspaceEdit): Promise<boolean>;
  /** Asks the editor to save a document; false when the editor cannot. */
  saveInEditor(uri: string): Promise<boolean>;
}

export type SavedEditApplier = (edit: WorkspaceEdit) => Promise<boolean>;

export function savedEditApplier(documents: DocumentStore, hooks: EditorHooks): SavedEditApplier {
  return async (edit) => {
    for (const { uri, edits, whole } of textEditsOf(edit)) {
      if (!documents.get(uri)) {
        await writeEdited(uri, edits);
        continue;
      }
      if (!(await hooks.applyEditInEditor(whole))) return false;
      if (!(await hooks.saveInEditor(uri))) await writeFile(fileURLToPath(uri), documents.get(uri)!.content);
    }
    return true;
  };
}

/** The text edits of a workspace edit per document, in either of the two shapes LSP allows. */
function textEditsOf(edit: WorkspaceEdit): { uri: string; edits: TextEdit[]; whole: WorkspaceEdit }[] {
  const files: { uri: string; edits: TextEdit[]; whole: WorkspaceEdit }[] = Object.entries(edit.changes ?? {}).map(([uri, edits]) => ({
    uri,
    edits,
    whole: { changes: { [uri]: edits } },
  }));
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change) {
      const edits = change.edits.map((e): TextEdit => ({ range: e.range, newText: 'newText' in e ? e.newText : e.snippet.value }));
      files.push({ uri: change.textDocument.uri, edits, whole: { documentChanges: [change] } });
    }
  }
  return files;
}

async function writeEdited(uri: string, edits: TextEdit[]): Promise<void> {
  const path = fileURLToPath(uri);
  const text = await readFile(path, 'utf8');
  await writeFile(path, TextDocument.applyEdits(TextDocument.create(uri, 'nix', 0, text), edits));
}
