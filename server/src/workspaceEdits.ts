// Applying edits that Nix will read from disk. An open document is edited in the editor (one
// undoable edit) and then saved, if the editor saves on request (`nixNur/saveDocument`, VS Code).
// An editor that cannot is never written behind: its buffer may not yet hold the edit (Neovim
// sends the change ~150 ms after answering applyEdit), and a file changed under a buffer makes
// the editor's next save a conflict. The edit then stays in the buffer, unsaved, and callers that
// need Nix to see it work from the edited text (flake pinning locks a copy). A file that is not
// open is edited on disk directly.
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

/** true: the edit is on disk; 'unsaved': it is in the editor's buffer only; false: refused. */
export type SavedEditApplier = (edit: WorkspaceEdit) => Promise<boolean | 'unsaved'>;

export function savedEditApplier(documents: DocumentStore, hooks: EditorHooks): SavedEditApplier {
  return async (edit) => {
    let outcome: true | 'unsaved' = true;
    for (const { uri, edits, whole } of textEditsOf(edit)) {
      if (!documents.get(uri)) {
        await writeEdited(uri, edits);
        continue;
      }
      if (!(await hooks.applyEditInEditor(whole))) return false;
      if (!(await hooks.saveInEditor(uri))) outcome = 'unsaved';
    }
    return outcome;
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
