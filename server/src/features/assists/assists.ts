// Every refactoring, asked in turn about one selection; and their answers as LSP code actions.
import type { CodeAction, CodeActionKind, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import type { Assist, AssistContext, AssistResult } from './assist';
import { attrNameQuoting } from './attrNameQuoting';
import { attrsetNesting } from './attrsetNesting';
import { emptyConstructs } from './emptyConstructs';
import { extractLet } from './extractLet';
import { extractToFile } from './extractToFile';
import { inheritConversion } from './inheritConversion';
import { inlineLet } from './inlineLet';
import { jsonToNix } from './jsonToNix';
import { needlessConstructs } from './needlessConstructs';
import { stringKinds } from './stringKinds';
import { uriToString } from './uriToString';
import { withExpansion } from './withExpansion';

/** In the order they are listed to the user: the most local rewrites first. */
export const ASSISTS: readonly Assist[] = [
  inheritConversion,
  attrNameQuoting,
  stringKinds,
  uriToString,
  attrsetNesting,
  withExpansion,
  emptyConstructs,
  needlessConstructs,
  inlineLet,
  extractLet,
  extractToFile,
  jsonToNix,
];

/** Every refactoring that applies to the selection. One failing assist costs only its own answer. */
export function assistsAt(context: AssistContext, onError?: (error: unknown) => void): AssistResult[] {
  if (context.analysis.skipped) return [];
  const results: AssistResult[] = [];
  for (const assist of ASSISTS) {
    try {
      results.push(...assist(context));
    } catch (error) {
      onError?.(error);
    }
  }
  return results;
}

export interface DocumentRef {
  uri: string;
  version: number;
}

/** An assist's answer as a code action editing `document` (and creating a file beside it). */
export function assistCodeAction(analysis: Analysis, document: DocumentRef, result: AssistResult, only?: readonly string[]): CodeAction | undefined {
  if (only?.length && !only.some((kind) => result.kind === kind || result.kind.startsWith(`${kind}.`))) return undefined;
  const edits = result.edits.map((e) => ({ range: analysis.lines.range(e), newText: e.newText }));
  let edit: WorkspaceEdit;
  if (result.newFile) {
    const newUri = document.uri.slice(0, document.uri.lastIndexOf('/') + 1) + encodeURIComponent(result.newFile.name);
    const created: TextDocumentEdit = { textDocument: { uri: newUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: result.newFile.text }] };
    edit = {
      documentChanges: [
        { kind: 'create', uri: newUri, options: { overwrite: false, ignoreIfExists: false } },
        created,
        { textDocument: { uri: document.uri, version: document.version }, edits },
      ],
    };
  } else {
    edit = { changes: { [document.uri]: edits } };
  }
  return { title: result.title, kind: result.kind as CodeActionKind, edit };
}
