// How the NUR workflows change a repository: new files are created on disk (never replacing one),
// and existing files get minimal text edits. A file that is open in the editor may hold unsaved
// changes, so its edits are returned for the client to apply instead of being written behind its back.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';

/** The text of a file as the editor has it, when it is open there; undefined otherwise. */
export type OpenDocumentText = (path: string) => string | undefined;

export interface FileEdit {
  path: string;
  uri: string;
  edits: TextEdit[];
  /** True when the edits were written to disk; false when the file is open and the client must apply them. */
  written: boolean;
}

export interface RepositoryChange {
  /** Files created, absolute paths. */
  created: string[];
  edited: FileEdit[];
}

export class RepositoryChangeError extends Error {}

/** The text to edit: the open document's, else the file's on disk. */
export function currentText(path: string, openDocumentText?: OpenDocumentText): { text: string; open: boolean } {
  const open = openDocumentText?.(path);
  if (open !== undefined) return { text: open, open: true };
  if (!existsSync(path)) throw new RepositoryChangeError(`${path} does not exist.`);
  return { text: readFileSync(path, 'utf8'), open: false };
}

/** Creates a file that must not exist yet. */
export function createFile(path: string, content: string): void {
  if (existsSync(path)) throw new RepositoryChangeError(`${path} already exists; it was left as it is.`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { flag: 'wx' });
}

/** Applies edits to a file that is not open; returns what to report. */
export function applyEdits(path: string, text: string, edits: TextEdit[], open: boolean): FileEdit {
  const uri = pathToFileURL(path).href;
  if (!open) {
    const document = TextDocument.create(uri, 'nix', 0, text);
    writeFileSync(path, TextDocument.applyEdits(document, edits));
  }
  return { path, uri, edits, written: !open };
}
