// References and rename for files named by relative path literals. On `./backup.nix` (or `./dir`,
// which Nix reads as `./dir/default.nix`), the references are every literal of every indexed file
// that names the same file. Renaming such a literal to another relative path renames the file and
// rewrites every literal naming it, each relative to its own file; a file moved to another
// directory gets its own relative literals rewritten too. A literal naming a directory is not
// renamed here (that is a directory rename, the file explorer's business).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Location, Position, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { FileDeclarations, RelativePath } from '../analysis/fileDeclarations';
import { rangeContains } from '../flake/flakeSyntax';
import type { IndexedFile } from '../workspace/workspaceIndex';

export interface PathIndex {
  all(): Iterable<IndexedFile>;
}

export type FileRenameResult =
  | { kind: 'none' }
  | { kind: 'refused'; error: string }
  | { kind: 'rename'; range: Range; placeholder: string; edit?: WorkspaceEdit };

export function pathLiteralAt(declarations: FileDeclarations, position: Position): RelativePath | undefined {
  return declarations.paths.find((path) => rangeContains(path.range, position.line, position.character));
}

function directoryOf(uri: string): string | undefined {
  try {
    return dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** The file a literal in `uri` names: a directory stands for its `default.nix`. */
function targetOf(uri: string, text: string): { file: string; viaDirectory: boolean } | undefined {
  const directory = directoryOf(uri);
  if (!directory) return undefined;
  const path = resolve(directory, text);
  return isDirectory(path) ? { file: join(path, 'default.nix'), viaDirectory: true } : { file: path, viaDirectory: false };
}

/** Every literal in the workspace naming `file` (directly, or as its directory when it is a `default.nix`). */
function literalsNaming(file: string, index: PathIndex): { uri: string; literal: RelativePath; viaDirectory: boolean }[] {
  const found: { uri: string; literal: RelativePath; viaDirectory: boolean }[] = [];
  const folder = basename(file) === 'default.nix' ? dirname(file) : undefined;
  for (const indexed of index.all()) {
    const directory = directoryOf(indexed.uri);
    if (!directory) continue;
    for (const literal of indexed.declarations.paths) {
      const path = resolve(directory, literal.text);
      if (path === file) found.push({ uri: indexed.uri, literal, viaDirectory: false });
      else if (folder !== undefined && path === folder) found.push({ uri: indexed.uri, literal, viaDirectory: true });
    }
  }
  return found;
}

/** References of the file the literal at `position` names; undefined when the cursor is on no path literal. */
export function fileReferences(uri: string, declarations: FileDeclarations, position: Position, index: PathIndex): Location[] | undefined {
  const literal = pathLiteralAt(declarations, position);
  const target = literal && targetOf(uri, literal.text);
  if (!target) return undefined;
  return literalsNaming(target.file, index).map(({ uri: at, literal: l }) => ({ uri: at, range: l.range }));
}

/** A literal from the directory `from` to `path`, starting with `./` or `../`. */
function literalFrom(from: string, path: string): string {
  const rel = relative(from, path).split(sep).join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}

/**
 * Rename of the file the literal at `position` names (without `newName`: whether it can be, as
 * prepareRename asks). `canRenameFiles` says whether the editor applies file renames.
 */
export function renameFileLiteral(uri: string, declarations: FileDeclarations, position: Position, index: PathIndex, canRenameFiles: boolean, newName?: string): FileRenameResult {
  const literal = pathLiteralAt(declarations, position);
  if (!literal) return { kind: 'none' };
  const target = targetOf(uri, literal.text);
  if (!target) return { kind: 'none' };
  if (target.viaDirectory) return { kind: 'refused', error: `'${literal.text}' names a directory; rename the directory in the editor's file explorer.` };
  if (!existsSync(target.file)) return { kind: 'refused', error: `'${literal.text}' names no file that exists.` };
  if (!canRenameFiles) return { kind: 'refused', error: 'This editor does not let the language server rename files.' };
  if (newName === undefined) return { kind: 'rename', range: literal.range, placeholder: literal.text };
  if (!/^\.\.?\//.test(newName) || /\$\{|\s/.test(newName)) return { kind: 'refused', error: `'${newName}' is not a relative path such as ./other.nix.` };
  const renamed = resolve(directoryOf(uri)!, newName);
  if (renamed === target.file) return { kind: 'rename', range: literal.range, placeholder: literal.text, edit: { documentChanges: [] } };
  if (existsSync(renamed)) return { kind: 'refused', error: `'${newName}' already exists.` };
  if (!isDirectory(dirname(renamed))) return { kind: 'refused', error: `The directory of '${newName}' does not exist.` };
  const edits = [...literalEditsForMove(target.file, renamed, index)].map(
    ([at, list]): TextDocumentEdit => ({ textDocument: { uri: at, version: null }, edits: list }),
  );
  // Text edits first: they name the documents by their present URIs.
  return {
    kind: 'rename',
    range: literal.range,
    placeholder: literal.text,
    edit: { documentChanges: [...edits, { kind: 'rename', oldUri: pathToFileURL(target.file).href, newUri: pathToFileURL(renamed).href }] },
  };
}

/**
 * The literal edits moving `file` to `renamed` needs: every literal naming it, relative to its own
 * file, and, when it changes directory, the file's own relative literals. By URI (the present ones).
 */
export function literalEditsForMove(file: string, renamed: string, index: PathIndex): Map<string, TextEdit[]> {
  const edits = new Map<string, TextEdit[]>();
  const add = (uri: string, edit: TextEdit) => {
    const list = edits.get(uri) ?? [];
    if (!list.some((e) => e.range.start.line === edit.range.start.line && e.range.start.character === edit.range.start.character)) list.push(edit);
    edits.set(uri, list);
  };
  for (const { uri, literal, viaDirectory } of literalsNaming(file, index)) {
    // `./dir` keeps naming the directory's default.nix while it is only renamed within it.
    if (viaDirectory && basename(renamed) === 'default.nix' && dirname(renamed) === dirname(file)) continue;
    add(uri, { range: literal.range, newText: literalFrom(directoryOf(uri)!, renamed) });
  }
  const oldDirectory = dirname(file);
  const moved = [...index.all()].find((f) => f.uri === pathToFileURL(file).href);
  if (moved && dirname(renamed) !== oldDirectory) {
    for (const own of moved.declarations.paths) add(moved.uri, { range: own.range, newText: literalFrom(dirname(renamed), resolve(oldDirectory, own.text)) });
  }
  return edits;
}

/**
 * `workspace/willRenameFiles`: literals naming renamed `.nix` files follow them (a file renamed or
 * moved in the editor's explorer). Only files; a renamed directory is left to the user.
 */
export function editsForRenamedFiles(files: readonly { oldUri: string; newUri: string }[], index: PathIndex): WorkspaceEdit | null {
  const changes: Record<string, TextEdit[]> = {};
  for (const { oldUri, newUri } of files) {
    let from: string;
    let to: string;
    try {
      from = fileURLToPath(oldUri);
      to = fileURLToPath(newUri);
    } catch {
      continue;
    }
    if (!from.endsWith('.nix') || isDirectory(from)) continue;
    for (const [uri, list] of literalEditsForMove(from, to, index)) (changes[uri] ??= []).push(...list);
  }
  return Object.keys(changes).length ? { changes } : null;
}
