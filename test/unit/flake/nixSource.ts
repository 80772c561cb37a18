// Test support: parsing hand-written Nix and marking a cursor in it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';
import type { Position, Range } from 'vscode-languageserver-types';
import { createNixParser } from '../../../server/src/syntax/parser';
import { readFlakeSyntax, type FlakeSyntax } from '../../../server/src/flake/flakeSyntax';
import { offsetAt, positionAt } from '../../../server/src/features/flake/textPositions';

export const repoRoot = join(__dirname, '..', '..', '..');
export const fixtureDir = join(repoRoot, 'test', 'fixtures', 'flake');
export { sharedData } from '../../support/sharedData';

let parser: Promise<Parser> | undefined;

export function nixParser(): Promise<Parser> {
  parser ??= createNixParser();
  return parser;
}

export interface ParsedFlake {
  readonly tree: Tree;
  readonly content: string;
  readonly syntax: FlakeSyntax;
}

export async function parseFlake(content: string): Promise<ParsedFlake> {
  const tree = (await nixParser()).parse(content);
  if (!tree) throw new Error('no tree');
  return { tree, content, syntax: readFlakeSyntax(tree.rootNode) };
}

export function readFixture(...parts: string[]): string {
  return readFileSync(join(fixtureDir, ...parts), 'utf8');
}

/** The cursor is written as `‸` in test sources; returns the text without it and its position. */
export function withCursor(marked: string): { content: string; position: Position } {
  const offset = marked.indexOf('‸');
  if (offset < 0) throw new Error('no cursor mark');
  const content = marked.slice(0, offset) + marked.slice(offset + 1);
  return { content, position: positionAt(content, offset) };
}

/** The text a range covers. */
export function textAt(content: string, range: Range): string {
  return content.slice(offsetAt(content, range.start), offsetAt(content, range.end));
}
