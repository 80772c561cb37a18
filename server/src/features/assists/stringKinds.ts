// Rewrite a `"…"` string as an indented `''…''` string and back, keeping its value: escapes are
// translated, interpolations kept, and Nix's indentation stripping taken into account. A string
// whose value an indented string cannot spell without changing layout (leading spaces, a last
// line of spaces) is not offered that way.
import { enclosing, type Assist } from './assist';
import { doubleQuotedParts, indentedParts, writeDoubleQuoted, writeIndented } from './stringParts';

export const stringKinds: Assist = (context) => {
  const node = enclosing(context, 'string_expression', 'indented_string_expression');
  // An attribute name cannot be an indented string.
  if (!node || node.hasError || node.parent?.type === 'attrpath' || node.parent?.type === 'inherited_attrs') return [];
  if (node.type === 'string_expression') {
    const parts = doubleQuotedParts(node)!;
    const newText = writeIndented(parts);
    return newText === undefined ? [] : [{ title: "Convert to indented string ''…''", kind: 'refactor.rewrite', edits: [{ start: node.start, end: node.end, newText }] }];
  }
  const newText = writeDoubleQuoted(indentedParts(node)!);
  return [{ title: 'Convert to double-quoted string "…"', kind: 'refactor.rewrite', edits: [{ start: node.start, end: node.end, newText }] }];
};
