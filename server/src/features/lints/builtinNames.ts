// Lints about builtin names: `builtins.<name>` that the installed Nix does not have (with the
// nearest names it does have), and a binding that hides a builtin reachable without `builtins.`
// (`map`, `toString`, `import`, …) from everything in its scope.
import type { Analysis } from '../../analysis/analysis';
import type { BuiltinsTable } from '../../analysis/builtins';
import { attrName } from '../../analysis/names';
import { boundedDistance, typoBound } from '../../analysis/nearestNames';
import type { Definition } from '../../analysis/scopes';
import type { SyntaxNode } from '../../analysis/syntaxTree';
import type { AssistResult } from '../assists/assist';

export interface UnknownBuiltin {
  /** The attribute node naming the builtin. */
  node: SyntaxNode;
  name: string;
  suggestions: string[];
}

/** `builtins.name` (not guarded by `or`) where `builtins` is the builtin and has no `name`. */
export function unknownBuiltin(analysis: Analysis, select: SyntaxNode): UnknownBuiltin | undefined {
  if (select.type !== 'select_expression' || select.child('default')) return undefined;
  const base = select.child('expression');
  const first = select.child('attrpath')?.childrenOf('attr')[0];
  if (base?.type !== 'variable_expression' || base.text !== 'builtins' || !first) return undefined;
  const identifier = base.child('name');
  const use = identifier && analysis.useAt(identifier);
  if (use?.resolution.kind !== 'builtin') return undefined;
  const name = attrName(first);
  const available = availableNames(analysis.builtins.table);
  if (name === undefined || available.has(name)) return undefined;
  // Code written for several Nix versions asks first: `if builtins ? warn then builtins.warn …`.
  if (new RegExp(`builtins\\s*\\?\\s*"?${name.replace(/[^\w'-]/g, '\\$&')}(?![\\w'-])`).test(analysis.text)) return undefined;
  const bound = typoBound(name);
  const suggestions = [...available]
    .map((candidate) => ({ candidate, distance: boundedDistance(name, candidate, bound) }))
    .filter((c) => c.distance <= bound)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((c) => c.candidate);
  return { node: first, name, suggestions };
}

const availableByTable = new WeakMap<BuiltinsTable, Set<string>>();

/** The `builtins` attributes the installed Nix has (every known one when it is not known which). */
function availableNames(table: BuiltinsTable): Set<string> {
  let names = availableByTable.get(table);
  if (!names) availableByTable.set(table, (names = new Set(table.installedNames ?? Object.keys(table.builtins))));
  return names;
}

export function replaceBuiltinName(found: UnknownBuiltin, suggestion: string): AssistResult {
  return { title: `Change to 'builtins.${suggestion}'`, kind: 'quickfix', edits: [{ start: found.node.start, end: found.node.end, newText: suggestion }] };
}

/** Whether a `let`, argument or `@` name hides a global builtin. */
export function shadowsBuiltin(analysis: Analysis, definition: Definition): boolean {
  // `inherit (builtins) map;` binds the builtin itself (or the same name from a set, by intent).
  if (definition.entry?.inherits.length) return false;
  return definition.kind !== 'rec' && analysis.builtins.isGlobal(definition.name);
}
