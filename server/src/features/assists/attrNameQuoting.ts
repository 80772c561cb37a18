// Quote an attribute name (`a` → `"a"`) or unquote one that can be written bare (`"a"` → `a`), in
// binding paths, selections and `inherit` lists. Both spell the same attribute.
import { isIdentifier, staticStringValue } from '../../analysis/names';
import { enclosing, type Assist } from './assist';

const NAME_LISTS = new Set(['attrpath', 'inherited_attrs']);

export const attrNameQuoting: Assist = (context) => {
  const node = enclosing(context, 'identifier', 'string_expression');
  if (!node || node.isMissing || !node.parent || !NAME_LISTS.has(node.parent.type) || node.field !== 'attr') return [];
  if (node.type === 'identifier') {
    return [{ title: `Quote attribute name '${node.text}'`, kind: 'refactor.rewrite', edits: [{ start: node.start, end: node.end, newText: `"${node.text}"` }] }];
  }
  const value = staticStringValue(node);
  // An unquoted `or` is the keyword of a selection's default, not a name.
  if (value === undefined || !isIdentifier(value) || value === 'or') return [];
  return [{ title: `Unquote attribute name '${value}'`, kind: 'refactor.rewrite', edits: [{ start: node.start, end: node.end, newText: value }] }];
};
