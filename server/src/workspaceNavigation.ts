// The requests that look across the workspace's files, answered from the workspace index:
// `workspace/symbol`, and the parts of references and rename that concern option paths and file
// path literals (languageHandlers.ts asks these first and falls back to the file's own names).
import { ErrorCodes, MarkupKind, ResponseError, type Connection, type Hover, type Location, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import { optionMarkdown } from './features/docs/optionDoc';
import { editsForRenamedFiles, fileReferences, renameFileLiteral } from './features/fileReferences';
import { optionNameAt, optionReferences, refuseOptionRename, renameOptionName } from './features/optionReferences';
import { workspaceOptionDefinition, workspaceOptionInfo } from './features/workspaceOptions';
import type { ServerState } from './serverState';
import type { NixDocument } from './syntax/document';

export function registerWorkspaceHandlers(connection: Connection, state: ServerState): void {
  connection.onWorkspaceSymbol(({ query }) => {
    const workspace = state.workspace;
    if (!workspace) return [];
    workspace.refreshOpenDocuments(state.services?.documents.all() ?? []);
    return workspace.symbols.query(query);
  });
  connection.workspace.onWillRenameFiles(({ files }) => {
    const workspace = state.workspace;
    if (!workspace) return null;
    workspace.refreshOpenDocuments(state.services?.documents.all() ?? []);
    return editsForRenamedFiles(files, workspace.index);
  });
}

/** What the whole workspace knows, with the open documents' current text in it. */
function freshWorkspace(state: ServerState, document: NixDocument) {
  const workspace = state.workspace;
  if (!workspace) return undefined;
  workspace.refreshOpenDocuments(state.services?.documents.all() ?? []);
  return { index: workspace.index, declarations: workspace.declarationsOf(document) };
}

/**
 * The declarations of a workspace option: the one at `optionPath` (the cursor's option context),
 * else the one the option-path name under the cursor belongs to (`cfg.enable` through
 * `cfg = config.my.backup`). Empty when the workspace declares none there.
 */
export function workspaceDefinition(state: ServerState, document: NixDocument, position: Position, optionPath: string[] | undefined): Location[] {
  const workspace = state.workspace;
  if (!workspace) return [];
  if (optionPath) return workspaceOptionDefinition(optionPath, workspace.index);
  const name = optionNameAt(workspace.declarationsOf(document), position);
  return name?.role === 'use' ? workspaceOptionDefinition(name.path, workspace.index) : [];
}

/**
 * Hover on a name of a workspace option where the cursor context says nothing: its declaration
 * (`enable` in `options.my.backup.enable = …`) or a read through an alias (`cfg.enable`).
 */
export function workspaceOptionHover(state: ServerState, document: NixDocument, position: Position): Hover | null {
  const workspace = state.workspace;
  const name = workspace && optionNameAt(workspace.declarationsOf(document), position);
  const declared = name ? workspace.index.options.lookup(name.path) : [];
  const info = name && workspaceOptionInfo(name.path, declared, workspace.index);
  return info ? { contents: { kind: MarkupKind.Markdown, value: optionMarkdown(info, { scope: 'nixos' }) }, range: name.range } : null;
}

/** References of an option-path name or a file path literal; undefined when the cursor is on neither. */
export function workspaceReferences(state: ServerState, document: NixDocument, position: Position, includeDeclaration: boolean): Location[] | undefined {
  const fresh = freshWorkspace(state, document);
  if (!fresh) return undefined;
  return fileReferences(document.uri, fresh.declarations, position, fresh.index) ?? optionReferences(fresh.declarations, position, fresh.index, includeDeclaration);
}

/**
 * Rename of an option-path name or a file path literal: the edit (with `newName`) or what may be
 * renamed (without); undefined when the cursor is on neither. `optionPath` is the option path the
 * cursor context sees (also in a file not surely a module, where no option name was indexed). A
 * refusal is thrown as the error the editor shows.
 */
export function workspaceRename(
  state: ServerState,
  document: NixDocument,
  position: Position,
  optionPath: string[] | undefined,
  newName?: string,
): { range: Range; placeholder: string; edit?: WorkspaceEdit } | undefined {
  const fresh = freshWorkspace(state, document);
  if (!fresh) return undefined;
  let result: ReturnType<typeof renameFileLiteral> | ReturnType<typeof renameOptionName> = renameFileLiteral(document.uri, fresh.declarations, position, fresh.index, state.client.renameFiles, newName);
  if (result.kind === 'none') result = renameOptionName(fresh.declarations, position, fresh.index, state.knowledge, newName);
  if (result.kind === 'none' && optionPath?.length && !optionNameAt(fresh.declarations, position)) result = refuseOptionRename(optionPath, state.knowledge);
  if (result.kind === 'none') return undefined;
  if (result.kind === 'refused') throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
  return result;
}
