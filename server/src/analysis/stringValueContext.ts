// Completing inside the quotes of an option's value: `services.x.mode = "│";`. Editors close a
// quote as it is typed, so this is where the cursor is when a string value is being written; the
// word is the string's content, and the completion replaces only that, keeping the quotes.
import type { LineIndex, OffsetRange } from './lineIndex';
import { moduleStateAlong, type FileModuleHints, type OptionTree } from './modules';
import type { SyntaxNode } from './syntaxTree';

export interface StringValueContext {
  kind: 'optionValue';
  tree: OptionTree;
  path: string[];
  inList: boolean;
  confident: boolean;
  locals: [];
  /** The cursor is inside a string: only string values apply, written without their quotes. */
  inString: true;
  prefix: string;
  word: string;
  replaceRange: ReturnType<LineIndex['range']>;
  insertRange: ReturnType<LineIndex['range']>;
  replaceOffsets: OffsetRange;
}

/** The option whose value the plain string around `at` is, or undefined. */
export function stringValueContext(leaf: SyntaxNode, at: number, text: string, lines: LineIndex, hints: FileModuleHints): StringValueContext | undefined {
  let string: SyntaxNode | undefined;
  for (let node: SyntaxNode | null = leaf; node; node = node.parent) {
    if (node.type === 'interpolation') return undefined;
    if (node.type === 'string_expression') {
      string = node;
      break;
    }
  }
  if (!string || at <= string.start || at >= string.end || string.hasError) return undefined;
  // A string that is a whole value (or a list element of one), with nothing interpolated.
  if (string.children.some((c) => c.type === 'interpolation')) return undefined;
  const parent = string.parent;
  if (!parent || !((parent.type === 'binding' && string.field === 'expression') || parent.type === 'list_expression')) return undefined;
  const chain: SyntaxNode[] = [];
  for (let n: SyntaxNode | null = string; n; n = n.parent) chain.push(n);
  chain.reverse();
  const state = moduleStateAlong(chain, text, hints);
  if (state.mode !== 'value') return undefined;
  const bounds = { start: string.start + 1, end: string.end - 1 };
  return {
    kind: 'optionValue',
    tree: state.module.tree,
    path: state.path,
    inList: state.inList,
    confident: state.module.confident,
    locals: [],
    inString: true,
    prefix: text.slice(bounds.start, at),
    word: text.slice(bounds.start, bounds.end),
    replaceRange: lines.range(bounds),
    insertRange: lines.range({ start: bounds.start, end: at }),
    replaceOffsets: bounds,
  };
}
