// Evaluation errors from a build, as diagnostics on the workspace files they point at. Nix gives
// the error's position (and, with --show-trace, the positions of the frames that led to it); the
// first of those that is a workspace file carries the diagnostic, later ones become related
// information. Store copies of a flake are mapped back by WorkspaceSources.
import { pathToFileURL } from 'node:url';
import type { Tree } from 'web-tree-sitter';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver-types';
import type { NixPosition } from '../../nix/internalJson';
import { isFilePosition, type NixError } from '../../nix/nixErrors';
import { BUILD_DIAGNOSTIC_SOURCE } from './hashFix';

export const EVALUATION_ERROR_CODE = 'evaluation-error';

/** A workspace file as the diagnostics need it: its URI, its text, and its tree when parsed. */
export interface LoadedFile {
  uri: string;
  content: string;
  tree?: Tree;
}

export interface FileDiagnostics {
  uri: string;
  diagnostics: Diagnostic[];
}

export interface LocatedPosition {
  path: string;
  position: NixPosition;
  message?: string;
}

/** The positions of an error that are in the workspace, the error's own first, then its trace. */
export function workspacePositions(error: NixError, toWorkspace: (file: string) => string | undefined): LocatedPosition[] {
  const located: LocatedPosition[] = [];
  const candidates = [{ position: error.position, message: undefined as string | undefined }, ...error.trace.map((frame) => ({ position: frame.position, message: frame.message }))];
  for (const { position, message } of candidates) {
    if (!isFilePosition(position)) continue;
    const path = toWorkspace(position.file);
    if (path) located.push({ path, position, message });
  }
  return located;
}

export function evaluationDiagnostics(
  errors: readonly NixError[],
  toWorkspace: (file: string) => string | undefined,
  files: ReadonlyMap<string, LoadedFile>,
): FileDiagnostics[] {
  const byUri = new Map<string, Diagnostic[]>();
  for (const error of errors) {
    const [primary, ...related] = workspacePositions(error, toWorkspace);
    if (!primary) continue;
    const file = files.get(primary.path);
    const uri = file?.uri ?? pathToFileURL(primary.path).href;
    const relatedInformation: DiagnosticRelatedInformation[] = related
      .filter((frame) => frame.message)
      .map((frame) => {
        const relatedFile = files.get(frame.path);
        return {
          location: { uri: relatedFile?.uri ?? pathToFileURL(frame.path).href, range: rangeAtNixPosition(relatedFile, frame.position) },
          message: frame.message!,
        };
      });
    const diagnostic: Diagnostic = {
      range: rangeAtNixPosition(file, primary.position),
      severity: DiagnosticSeverity.Error,
      source: BUILD_DIAGNOSTIC_SOURCE,
      code: EVALUATION_ERROR_CODE,
      message: error.summary || error.text,
    };
    if (relatedInformation.length > 0) diagnostic.relatedInformation = relatedInformation;
    const list = byUri.get(uri) ?? [];
    list.push(diagnostic);
    byUri.set(uri, list);
  }
  return [...byUri].map(([uri, diagnostics]) => ({ uri, diagnostics }));
}

/**
 * The range of the expression at a Nix position (1-based line, 1-based byte column): the smallest
 * named node starting there, cut at the end of its line; one character when the file is unknown.
 */
export function rangeAtNixPosition(file: LoadedFile | undefined, position: NixPosition): Range {
  const line = Math.max(0, position.line - 1);
  if (!file) {
    const character = Math.max(0, position.column - 1);
    return { start: { line, character }, end: { line, character: character + 1 } };
  }
  const lineText = lineOf(file.content, line);
  const character = utf16Column(lineText, position.column);
  const start = { line, character };
  const lineEnd = lineText.replace(/\s+$/, '').length;
  let endCharacter = Math.min(character + 1, Math.max(lineEnd, character + 1));
  if (file.tree) {
    const node = file.tree.rootNode.namedDescendantForPosition({ row: line, column: character });
    if (node && node.startPosition.row === line && node.startPosition.column === character) {
      endCharacter = node.endPosition.row === line ? node.endPosition.column : Math.max(lineEnd, character + 1);
    }
  }
  return { start, end: { line, character: endCharacter } };
}

function lineOf(content: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = content.indexOf('\n', start);
    if (next === -1) return '';
    start = next + 1;
  }
  const end = content.indexOf('\n', start);
  return content.slice(start, end === -1 ? content.length : end).replace(/\r$/, '');
}

/** Nix counts columns in bytes; LSP counts UTF-16 code units. */
function utf16Column(lineText: string, byteColumn: number): number {
  const bytes = Buffer.from(lineText, 'utf8');
  const offset = Math.min(Math.max(0, byteColumn - 1), bytes.length);
  return bytes.subarray(0, offset).toString('utf8').length;
}
