// Convert a selected JSON object or array to the Nix expression with the same value.
import { formatAttrName, quoteString } from '../../analysis/names';
import { indentationAt, selectedNode, type Assist } from './assist';

export const jsonToNix: Assist = (context) => {
  if (context.start === context.end) return [];
  const selected = context.analysis.text.slice(context.start, context.end);
  const trimmed = selected.trim();
  if (!/^[[{]/.test(trimmed)) return [];
  // `[ 1 ]` and `{ }` are Nix already.
  const node = selectedNode(context);
  if (node && !node.hasError) return [];
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return [];
  }
  const start = context.start + selected.indexOf(trimmed[0]!);
  const newText = nixValue(value, indentationAt(context.analysis.text, start), false);
  return [{ title: 'Convert JSON to Nix', kind: 'refactor.rewrite', edits: [{ start, end: start + trimmed.length, newText }] }];
};

/** The Nix spelling of a JSON value, laid out over lines indented from `indent`. */
export function nixValue(value: unknown, indent: string, inList: boolean): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') {
    const text = nixNumber(value);
    // `[ -1 ]` does not parse: a list element cannot start with a minus.
    return inList && value < 0 ? `(${text})` : text;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[\n${value.map((v) => inner + nixValue(v, inner, true)).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{ }';
  return `{\n${entries.map(([k, v]) => `${inner}${formatAttrName(k)} = ${nixValue(v, inner, false)};`).join('\n')}\n${indent}}`;
}

/** Integers as integers; other numbers as Nix floats, which need a `.` before any exponent. */
function nixNumber(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  const text = String(value);
  if (text.includes('.')) return text;
  return text.replace(/^(-?\d+)/, '$1.0');
}
