// What a name under the cursor stands for, reduced to the thing definition, references and rename
// all work on: a local definition, an attribute of a local attribute set, a builtin, or a name that
// may come from `with`.
import { sameAttribute, symbolAt, type Analysis } from '../../analysis/analysis';
import type { AttrEntry } from '../../analysis/attrShapes';
import type { Definition, Use } from '../../analysis/scopes';
import type { SyntaxNode } from '../../analysis/syntaxTree';

export type SymbolTarget =
  | { kind: 'definition'; definition: Definition; node: SyntaxNode }
  | { kind: 'attribute'; entry: AttrEntry; node: SyntaxNode; definition?: Definition }
  | { kind: 'builtin'; name: string; node: SyntaxNode }
  | { kind: 'with'; name: string; node: SyntaxNode; withs: SyntaxNode[] }
  | { kind: 'undefined'; name: string; node: SyntaxNode };

export function targetAt(analysis: Analysis, offset: number): SymbolTarget | undefined {
  const symbol = symbolAt(analysis, offset);
  if (!symbol) return undefined;
  switch (symbol.kind) {
    case 'use':
      return targetOfUse(symbol.use);
    case 'definition':
      return { kind: 'definition', definition: symbol.definition, node: symbol.node };
    case 'attribute': {
      // A `rec` attribute or `let` name reached through a selection is that definition.
      const definition = symbol.definition ?? definitionOfEntry(analysis, symbol.entry);
      if (definition && !symbol.definition) return { kind: 'definition', definition, node: symbol.node };
      return { kind: 'attribute', entry: symbol.entry, node: symbol.node, definition: symbol.definition };
    }
  }
}

function targetOfUse(use: Use): SymbolTarget {
  const r = use.resolution;
  switch (r.kind) {
    case 'local':
      return { kind: 'definition', definition: r.definition, node: use.node };
    case 'builtin':
      return { kind: 'builtin', name: r.name, node: use.node };
    case 'with':
      return { kind: 'with', name: use.name, node: use.node, withs: r.withs };
    case 'undefined':
      return { kind: 'undefined', name: use.name, node: use.node };
  }
}

/** The `let`/`rec` definition an attribute entry belongs to, when the entry is a scope's own name. */
function definitionOfEntry(analysis: Analysis, entry: AttrEntry): Definition | undefined {
  for (const node of entry.nameNodes) {
    const definition = analysis.definitionNamedBy(node);
    if (definition?.entry && sameAttribute(definition.entry, entry)) return definition;
  }
  return undefined;
}

/** Every node naming the target in the file: definitions first when `includeDeclaration`. */
export function occurrencesOf(analysis: Analysis, target: SymbolTarget, includeDeclaration = true): SyntaxNode[] {
  const nodes: SyntaxNode[] = [];
  switch (target.kind) {
    case 'definition': {
      const { definition } = target;
      if (includeDeclaration) nodes.push(...definition.nameNodes);
      nodes.push(...definition.uses.map((u) => u.node));
      if (definition.entry) {
        for (const reference of analysis.attrReferences) {
          if (sameAttribute(reference.entry, definition.entry)) nodes.push(reference.node);
        }
      }
      break;
    }
    case 'attribute': {
      if (includeDeclaration) nodes.push(...target.entry.nameNodes);
      for (const reference of analysis.attrReferences) {
        if (sameAttribute(reference.entry, target.entry)) nodes.push(reference.node);
      }
      break;
    }
    case 'builtin':
    case 'with':
    case 'undefined':
      for (const use of analysis.uses) {
        if (use.name === target.name && use.resolution.kind === target.kind) nodes.push(use.node);
      }
      break;
  }
  const seen = new Set<SyntaxNode>();
  return nodes.filter((n) => !seen.has(n) && seen.add(n)).sort((a, b) => a.start - b.start);
}
