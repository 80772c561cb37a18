// The outline and breadcrumbs: let bindings, attribute sets (nested as written), flake inputs and
// outputs, NixOS option paths such as `services.nginx.enable`, functions and their bodies.
import type { Node, Tree } from 'web-tree-sitter';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { attrpathNames, namedChildrenOf, rangeOf } from '../syntax/nodes';

/** Outlines of huge generated files are not read by anyone; stop before they cost real time. */
const MAX_SYMBOLS = 20_000;

export function documentSymbols(tree: Tree): DocumentSymbol[] {
  const budget = { left: MAX_SYMBOLS };
  return symbolsIn(tree.rootNode, budget, 0);
}

interface Budget {
  left: number;
}

/** Deep enough for any hand-written file; deeper nesting is cut rather than risk the stack. */
const MAX_DEPTH = 200;

/** The symbols an expression contributes: the bindings of the attribute sets it evaluates to. */
function symbolsIn(node: Node | null, budget: Budget, depth: number): DocumentSymbol[] {
  if (!node || budget.left <= 0 || depth > MAX_DEPTH) return [];
  switch (node.type) {
    case 'source_code':
    case 'parenthesized_expression':
      return namedChildrenOf(node).flatMap((child) => symbolsIn(child, budget, depth + 1));
    case 'attrset_expression':
    case 'rec_attrset_expression':
      return bindingSymbols(node.namedChildren.find((c) => c?.type === 'binding_set') ?? null, SymbolKind.Property, budget, depth);
    case 'let_expression':
      return [
        ...bindingSymbols(node.namedChildren.find((c) => c?.type === 'binding_set') ?? null, SymbolKind.Variable, budget, depth),
        ...symbolsIn(node.childForFieldName('body'), budget, depth + 1),
      ];
    case 'function_expression':
    case 'with_expression':
    case 'assert_expression':
      return symbolsIn(node.childForFieldName('body'), budget, depth + 1);
    case 'if_expression':
      return [
        ...symbolsIn(node.childForFieldName('consequence'), budget, depth + 1),
        ...symbolsIn(node.childForFieldName('alternative'), budget, depth + 1),
      ];
    case 'apply_expression':
      // `mkDerivation { … }`, `lib.mkIf cond { … }`, `nixosSystem { modules = …; }`: the attribute
      // sets passed along are what the reader looks for.
      return [
        ...symbolsIn(node.childForFieldName('function'), budget, depth + 1),
        ...symbolsIn(node.childForFieldName('argument'), budget, depth + 1),
      ];
    case 'binary_expression':
      return [
        ...symbolsIn(node.childForFieldName('left'), budget, depth + 1),
        ...symbolsIn(node.childForFieldName('right'), budget, depth + 1),
      ];
    case 'list_expression':
      return namedChildrenOf(node).flatMap((element, index) => {
        const children = symbolsIn(element, budget, depth + 1);
        if (children.length === 0) return [];
        budget.left--;
        return [
          {
            name: `[${index}]`,
            kind: SymbolKind.Object,
            range: rangeOf(element),
            selectionRange: rangeOf(element),
            children,
          },
        ];
      });
    default:
      return [];
  }
}

function bindingSymbols(bindingSet: Node | null, kind: SymbolKind, budget: Budget, depth: number): DocumentSymbol[] {
  if (!bindingSet) return [];
  const symbols: DocumentSymbol[] = [];
  for (const binding of namedChildrenOf(bindingSet)) {
    if (budget.left <= 0) break;
    if (binding.type === 'binding') {
      const attrpath = binding.childForFieldName('attrpath');
      const value = binding.childForFieldName('expression');
      if (!attrpath) continue;
      budget.left--;
      const children = symbolsIn(value, budget, depth + 1);
      symbols.push({
        name: attrpathNames(attrpath)
          .map((name, i) => name ?? attrpath.childrenForFieldName('attr')[i]?.text ?? '?')
          .join('.'),
        detail: detailOf(value),
        kind: kindOf(value, kind),
        range: rangeOf(binding),
        selectionRange: rangeOf(attrpath),
        children,
      });
    } else if (binding.type === 'inherit' || binding.type === 'inherit_from') {
      const attrs = binding.namedChildren.find((c) => c?.type === 'inherited_attrs');
      const source = binding.childForFieldName('expression');
      for (const attr of attrs ? namedChildrenOf(attrs) : []) {
        budget.left--;
        symbols.push({
          name: attr.text,
          detail: source ? `inherit (${truncate(source.text)})` : 'inherit',
          kind,
          range: rangeOf(attr),
          selectionRange: rangeOf(attr),
        });
      }
    }
  }
  return symbols;
}

function kindOf(value: Node | null, fallback: SymbolKind): SymbolKind {
  switch (value?.type) {
    case 'attrset_expression':
    case 'rec_attrset_expression':
      return SymbolKind.Object;
    case 'function_expression':
      return SymbolKind.Function;
    case 'list_expression':
      return SymbolKind.Array;
    case 'string_expression':
    case 'indented_string_expression':
      return SymbolKind.String;
    case 'integer_expression':
    case 'float_expression':
      return SymbolKind.Number;
    case 'path_expression':
    case 'spath_expression':
    case 'hpath_expression':
      return SymbolKind.File;
    case 'variable_expression':
      return value.text === 'true' || value.text === 'false' ? SymbolKind.Boolean : fallback;
    default:
      return fallback;
  }
}

/** A short hint beside the name: the value for scalars, the called function for applications. */
function detailOf(value: Node | null): string | undefined {
  if (!value) return undefined;
  switch (value.type) {
    case 'string_expression':
    case 'integer_expression':
    case 'float_expression':
    case 'path_expression':
    case 'spath_expression':
    case 'uri_expression':
    case 'variable_expression':
      return truncate(value.text);
    case 'function_expression':
      return 'function';
    case 'apply_expression': {
      let callee: Node | null = value;
      while (callee?.type === 'apply_expression') callee = callee.childForFieldName('function');
      return callee ? truncate(callee.text) : undefined;
    }
    default:
      return undefined;
  }
}

function truncate(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
