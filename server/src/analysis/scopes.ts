// Lexical scopes and name resolution, following Nix's rules:
// - `let … in` and `rec { … }` bind their static attribute names for their whole extent, except
//   that a plain `inherit a;` inside them takes `a` from the enclosing scope;
// - a function binds its formals and its `@` name (defaults see all of them) or its parameter;
// - `with e; body` provides names dynamically, and only for names no lexical scope binds: a
//   lexical binding always wins, however far out it is;
// - builtins (`map`, `true`, `__add`, …) come last but before `with`, since Nix binds them
//   statically in the outermost scope.
import { shapeOfBindingSet, bindingSetOf, unparenthesize, type AttrEntry, type AttrShape, type DuplicateAttr } from './attrShapes';
import type { BuiltinLookup } from './builtins';
import type { SyntaxNode } from './syntaxTree';

export type DefinitionKind =
  /** `let x = …;` */
  | 'let'
  /** an attribute of a `rec { }` set */
  | 'rec'
  /** `{ x, … }:` */
  | 'formal'
  /** `x: …` */
  | 'parameter'
  /** the `@` name of a formals pattern */
  | 'pattern';

export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
  /** The node introducing the scope: `let_expression`, `rec_attrset_expression` or `function_expression`. */
  readonly scope: SyntaxNode;
  /** The nodes spelling the name where it is defined; several for `a.b = 1; a.c = 2;`. */
  readonly nameNodes: readonly SyntaxNode[];
  /** For `let` and `rec` definitions: what the binding set says about this name. */
  readonly entry?: AttrEntry;
  /** For formals: the `formal` node. */
  readonly formal?: SyntaxNode;
  /** Every variable occurrence resolving here, filled by whole-file analysis. */
  readonly uses: Use[];
}

export type Resolution =
  | { kind: 'local'; definition: Definition }
  | { kind: 'builtin'; name: string }
  /** Not bound lexically, but one of these `with` expressions (innermost first) may provide it. */
  | { kind: 'with'; withs: SyntaxNode[] }
  | { kind: 'undefined' };

export interface Use {
  readonly name: string;
  /** The identifier: a variable's name, or an attribute of a plain `inherit`. */
  readonly node: SyntaxNode;
  /** The `inherit` statement when the use is `inherit name;`. */
  readonly inherit?: SyntaxNode;
  readonly resolution: Resolution;
}

/** A rename being checked: `definition` is looked up as `newName` instead of its own name. */
export interface Renaming {
  definition: Definition;
  newName: string;
}

export interface LookupOptions {
  renaming?: Renaming;
  /**
   * Resolve from a plain `inherit` as if it were `name = name;` written in the same binding set:
   * used when a rename turns `inherit a;` into `a = b;`.
   */
  asBindingValue?: boolean;
}

const NO_OPTIONS: LookupOptions = {};

/** Whether a `let` or `rec` binding's one value is a function (`f = x: …;`). */
export function isFunctionDefinition(definition: Definition): boolean {
  const values = definition.entry?.values ?? [];
  return values.length === 1 && unparenthesize(values[0])?.type === 'function_expression';
}

const SCOPE_TYPES: ReadonlySet<string> = new Set(['let_expression', 'rec_attrset_expression', 'function_expression']);

/** Scope tables of one syntax tree, built on first use and kept. */
export class Scopes {
  private readonly tables = new Map<SyntaxNode, Map<string, Definition>>();
  private readonly shapes = new Map<SyntaxNode, AttrShape>();
  /** Duplicate attributes found while building shapes, keyed by the duplicate's name node. */
  readonly duplicates = new Map<SyntaxNode, DuplicateAttr>();

  constructor(readonly builtins: BuiltinLookup) {}

  /** Whether `node` introduces a scope (a `let`, a `rec` set or a function). */
  static isScope(node: SyntaxNode): boolean {
    return SCOPE_TYPES.has(node.type);
  }

  /** The statically known attributes of an attribute set, `rec` set or `let`. */
  shapeOf(owner: SyntaxNode): AttrShape {
    let shape = this.shapes.get(owner);
    if (!shape) {
      const found: DuplicateAttr[] = [];
      shape = shapeOfBindingSet(bindingSetOf(owner), found);
      for (const duplicate of found) if (!this.duplicates.has(duplicate.node)) this.duplicates.set(duplicate.node, duplicate);
      this.shapes.set(owner, shape);
    }
    return shape;
  }

  /** The names a scope node binds. */
  definitionsOf(scope: SyntaxNode): Map<string, Definition> {
    let table = this.tables.get(scope);
    if (table) return table;
    table = new Map();
    if (scope.type === 'let_expression' || scope.type === 'rec_attrset_expression') {
      const kind: DefinitionKind = scope.type === 'let_expression' ? 'let' : 'rec';
      for (const entry of this.shapeOf(scope).entries.values()) {
        table.set(entry.name, { name: entry.name, kind, scope, nameNodes: entry.nameNodes, entry, uses: [] });
      }
    } else if (scope.type === 'function_expression') {
      const universal = scope.child('universal');
      const formals = scope.child('formals');
      if (formals) {
        for (const formal of formals.childrenOf('formal')) {
          const name = formal.child('name');
          if (!name || name.isMissing || table.has(name.text)) continue;
          table.set(name.text, { name: name.text, kind: 'formal', scope, nameNodes: [name], formal, uses: [] });
        }
      }
      if (universal && !universal.isMissing && !table.has(universal.text)) {
        table.set(universal.text, {
          name: universal.text,
          kind: formals ? 'pattern' : 'parameter',
          scope,
          nameNodes: [universal],
          uses: [],
        });
      }
    }
    this.tables.set(scope, table);
    return table;
  }

  /** What `name`, used as a variable at `from`, refers to. */
  lookup(name: string, from: SyntaxNode, options: LookupOptions = NO_OPTIONS): Resolution {
    let withs: SyntaxNode[] | undefined;
    let skip: SyntaxNode | undefined;
    let previous = from;
    for (let node = from.parent; node; previous = node, node = node.parent) {
      switch (node.type) {
        case 'inherit':
          // `inherit a;` reads `a` from outside the binding set it sits in.
          if (!options.asBindingValue) skip = node.parent?.parent ?? undefined;
          break;
        case 'let_expression':
        case 'rec_attrset_expression':
        case 'function_expression': {
          if (node === skip) break;
          // The name nodes of a function are definitions, not uses; nothing to look up there.
          const found = this.find(node, name, options.renaming);
          if (found) return { kind: 'local', definition: found };
          break;
        }
        case 'with_expression':
          if (previous.field === 'body') (withs ??= []).push(node);
          break;
      }
    }
    if (this.builtins.isGlobal(name)) return { kind: 'builtin', name };
    if (withs) return { kind: 'with', withs };
    return { kind: 'undefined' };
  }

  private find(scope: SyntaxNode, name: string, renaming: Renaming | undefined): Definition | undefined {
    const table = this.definitionsOf(scope);
    if (renaming && renaming.definition.scope === scope) {
      if (name === renaming.newName) return renaming.definition;
      if (name === renaming.definition.name) return undefined;
    }
    return table.get(name);
  }

  /**
   * Every lexically visible definition at `at`, innermost first; an outer definition hidden by an
   * inner one of the same name is left out.
   */
  visibleAt(at: SyntaxNode): Definition[] {
    const seen = new Set<string>();
    const result: Definition[] = [];
    let skip: SyntaxNode | undefined;
    for (let node: SyntaxNode | null = at; node; node = node.parent) {
      if (node.type === 'inherit') skip = node.parent?.parent ?? undefined;
      if (!Scopes.isScope(node) || node === skip) continue;
      for (const definition of this.definitionsOf(node).values()) {
        if (seen.has(definition.name)) continue;
        seen.add(definition.name);
        result.push(definition);
      }
    }
    return result;
  }

  /** The enclosing `with` expressions whose body contains `at`, innermost first. */
  static withsAround(at: SyntaxNode): SyntaxNode[] {
    const withs: SyntaxNode[] = [];
    let previous = at;
    for (let node = at.parent; node; previous = node, node = node.parent) {
      if (node.type === 'with_expression' && previous.field === 'body') withs.push(node);
    }
    return withs;
  }
}
