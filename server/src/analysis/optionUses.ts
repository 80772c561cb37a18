// Where a file uses option paths, name by name: the bindings of modules that set options
// (`my.backup.enable = true;`, nested sets, `config = { … }`), and the reads of `config`
// (`config.my.backup.enable`, `inherit (config.my.backup) enable;`, and through a local alias
// such as `cfg = config.my.backup;` … `cfg.enable`). Each written name comes with the option path
// up to and including it, so references and rename can find every place that names an option or
// a part of its path.
import type { Analysis } from './analysis';
import { unparenthesize } from './attrShapes';
import { knowledgeSites } from './knowledgeSites';
import type { FileModuleHints } from './modules';
import { attrName } from './names';
import type { OptionSegment } from './optionDeclarations';
import type { Definition } from './scopes';
import type { SyntaxNode } from './syntaxTree';

/** How many aliases deep a read is followed (`cfg = config.a; sub = cfg.b; sub.c`). */
const MAX_ALIAS_CHAIN = 4;

/** The option-path names a file sets or reads, in document order. */
export function optionUses(analysis: Analysis, hints: FileModuleHints = {}): OptionSegment[] {
  if (analysis.skipped) return [];
  const found: OptionSegment[] = [];
  for (const site of knowledgeSites(analysis, hints).options) {
    const path = [...site.prefix];
    for (const written of site.names) {
      path.push(written.name ?? '<name>');
      if (written.name !== undefined) found.push({ path: [...path], start: written.node.start, end: written.node.end });
    }
  }
  found.push(...configReads(analysis));
  return found.sort((a, b) => a.start - b.start);
}

function configReads(analysis: Analysis): OptionSegment[] {
  const found: OptionSegment[] = [];
  const aliases = new Map<Definition, string[] | null>();
  const stack: SyntaxNode[] = [analysis.root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'select_expression' || node.type === 'inherit_from') {
      const base = configPathOf(analysis, node.child('expression'), aliases, 0);
      if (base) {
        const attrs = node.type === 'select_expression' ? node.child('attrpath')?.childrenOf('attr') : node.child('attrs')?.childrenOf('attr');
        addNames(found, base, attrs ?? [], node.type === 'select_expression');
      }
    }
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return found;
}

/** `config.a.b` → `a`, `b`; `inherit (config.a) b c;` → `b`, `c` (each below the base). */
function addNames(into: OptionSegment[], base: string[], attrs: readonly SyntaxNode[], chained: boolean): void {
  const path = [...base];
  for (const attr of attrs) {
    const name = attr.type === 'interpolation' ? undefined : attrName(attr);
    if (name === undefined) {
      if (chained) return;
      continue;
    }
    const at = chained ? (path.push(name), [...path]) : [...base, name];
    into.push({ path: at, start: attr.start, end: attr.end });
  }
}

/**
 * The option path an expression stands for: `[]` for the module's `config` argument, `[a, b]` for
 * `config.a.b`, or an alias bound to one of them; undefined for anything else.
 */
function configPathOf(analysis: Analysis, node: SyntaxNode | undefined, aliases: Map<Definition, string[] | null>, depth: number): string[] | undefined {
  const expression = unparenthesize(node);
  if (!expression || depth > MAX_ALIAS_CHAIN) return undefined;
  if (expression.type === 'variable_expression') {
    const name = expression.child('name');
    const use = name && analysis.useAt(name);
    if (!use || use.resolution.kind !== 'local') return undefined;
    const definition = use.resolution.definition;
    if (definition.kind === 'formal' || definition.kind === 'parameter') return definition.name === 'config' ? [] : undefined;
    return aliasPath(analysis, definition, aliases, depth);
  }
  if (expression.type !== 'select_expression' || expression.child('default')) return undefined;
  const base = configPathOf(analysis, expression.child('expression'), aliases, depth);
  if (!base) return undefined;
  const path = [...base];
  for (const attr of expression.child('attrpath')?.childrenOf('attr') ?? []) {
    const name = attr.type === 'interpolation' ? undefined : attrName(attr);
    if (name === undefined) return undefined;
    path.push(name);
  }
  return path;
}

/** `cfg = config.a.b;` (a `let` or `rec` name with that one value): the path it stands for. */
function aliasPath(analysis: Analysis, definition: Definition, aliases: Map<Definition, string[] | null>, depth: number): string[] | undefined {
  if (aliases.has(definition)) return aliases.get(definition) ?? undefined;
  aliases.set(definition, null);
  const values = definition.entry?.values ?? [];
  const path = values.length === 1 && !definition.entry?.nested ? configPathOf(analysis, values[0], aliases, depth + 1) : undefined;
  aliases.set(definition, path ?? null);
  return path;
}
