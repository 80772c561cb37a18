// Attribute sets an expression is statically known to evaluate to, when they are written in the
// same file: the basis of completing and navigating `s.a` for `let s = { a = 1; };`.
import { entryAt, unparenthesize, type AttrEntry, type AttrShape } from './attrShapes';
import { attrName } from './names';
import type { Definition, Resolution, Scopes, Use } from './scopes';
import type { SyntaxNode } from './syntaxTree';

/** How many variables, selections and bodies are followed to find one set: chains in real code are short. */
const MAX_DEPTH = 64;

/**
 * The statically known attribute set an expression evaluates to, when it is one written in this
 * file: a literal, a variable bound to one, a selection into one, a `let … in` or `with` around
 * one. Follows variables through their definitions, with guards against cycles and long chains.
 */
export class LocalShapes {
  private readonly visiting = new Set<SyntaxNode>();
  /** Calls of `shapeOfEntry` under way: `inherit (s) x;` chains follow entries without `of`. */
  private entryDepth = 0;

  constructor(
    private readonly scopes: Scopes,
    private readonly useByNode?: ReadonlyMap<SyntaxNode, Use>,
  ) {}

  of(expression: SyntaxNode): AttrShape | undefined {
    const node = unparenthesize(expression);
    if (!node || this.visiting.has(node) || this.visiting.size >= MAX_DEPTH) return undefined;
    this.visiting.add(node);
    try {
      return this.compute(node);
    } finally {
      this.visiting.delete(node);
    }
  }

  private compute(node: SyntaxNode): AttrShape | undefined {
    switch (node.type) {
      case 'attrset_expression':
      case 'rec_attrset_expression':
        return this.scopes.shapeOf(node);
      case 'let_expression':
      case 'with_expression': {
        const body = node.child('body');
        return body ? this.of(body) : undefined;
      }
      case 'variable_expression': {
        const name = node.child('name');
        if (!name) return undefined;
        const resolution: Resolution = this.useByNode?.get(name)?.resolution ?? this.scopes.lookup(name.text, name);
        return resolution.kind === 'local' ? this.shapeOfDefinition(resolution.definition) : undefined;
      }
      case 'select_expression': {
        if (node.child('default')) return undefined;
        const base = node.child('expression');
        const path = node.child('attrpath')?.childrenOf('attr').map(attrName);
        if (!base || !path || path.some((p) => p === undefined)) return undefined;
        return this.shapeOfEntry(entryAt(this.of(base), path as string[]));
      }
      default:
        return undefined;
    }
  }

  /** The attribute set a definition holds, if it is known. */
  shapeOfDefinition(definition: Definition): AttrShape | undefined {
    return this.shapeOfEntry(definition.entry);
  }

  shapeOfEntry(entry: AttrEntry | undefined): AttrShape | undefined {
    if (!entry) return undefined;
    if (entry.nested) return entry.nested;
    if (entry.values.length === 1) return this.of(entry.values[0]!);
    const inherited = entry.inherits[0];
    if (!inherited?.from || this.entryDepth >= MAX_DEPTH) return undefined;
    this.entryDepth++;
    try {
      return this.shapeOfEntry(this.of(inherited.from)?.entries.get(entry.name));
    } finally {
      this.entryDepth--;
    }
  }
}
