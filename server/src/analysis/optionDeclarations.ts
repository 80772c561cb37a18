// The options a module file declares, read from its syntax: `options.<path> = mkOption { … }`,
// `mkEnableOption "…"`, `mkPackageOption pkgs "…" { … }` (bare or `lib.`-qualified), nested
// `options = { a.b = …; }` sets, and the options of submodules in their types
// (`types.attrsOf (types.submodule { options.port = …; })` declares `<path>.<name>.port`), with
// what their literals say (type, description, default, example) and where each name is written.
import { isAttrSetLiteral, unparenthesize } from './attrShapes';
import { MAX_ANALYSIS_DEPTH } from './depthLimits';
import { callOf, walkModuleStates, type FileModuleHints } from './modules';
import { attrName } from './names';
import { describeType, literalText, stringValue, type LiteralText } from './optionLiterals';
import type { SyntaxNode } from './syntaxTree';

/** An option declared in the file, with what its literals say. */
export interface OptionDeclaration {
  /** One part per attribute; `<name>` for a computed part or an attribute set's element, `*` for a list's. */
  path: string[];
  /** The declaring binding's last written name, where "go to declaration" lands. */
  start: number;
  end: number;
  /** The function that declares it (`mkOption`, `mkEnableOption`, `mkPackageOption`). */
  declaredWith: string;
  type?: string;
  description?: string;
  default?: LiteralText;
  example?: LiteralText;
  readOnly?: boolean;
}

/** A name written in the file as part of an option path (the path up to and including it). */
export interface OptionSegment {
  path: string[];
  start: number;
  end: number;
}

export interface DeclaredOptions {
  declarations: OptionDeclaration[];
  /** The names of declared option paths, each written name once. */
  segments: OptionSegment[];
}

/** Functions whose call declares one option. */
const DECLARING_FUNCTIONS: ReadonlySet<string> = new Set(['mkOption', 'mkEnableOption', 'mkPackageOption', 'mkPackageOptionMD']);
/** How many submodules deep declarations are followed (`attrsOf (submodule { options.x = … })`). */
const MAX_SUBMODULE_DEPTH = 6;

interface Pending {
  path: string[];
  /** The written names leading to `value`, with the path up to each. */
  chain: { node: SyntaxNode; path: string[] }[];
  value: SyntaxNode | undefined;
  submoduleDepth: number;
}

/**
 * Every option the module parts of the file declare, for NixOS and Home Manager modules: what
 * flake-parts modules declare belongs to no system's options (an evaluated flake knows those).
 */
export function declaredOptions(root: SyntaxNode, hints: FileModuleHints = {}): DeclaredOptions {
  const found: DeclaredOptions = { declarations: [], segments: [] };
  const stack: Pending[] = [];
  walkModuleStates(root, hints, undefined, (node, state, _passed, depth) => {
    if (depth > MAX_ANALYSIS_DEPTH) return false;
    if (node.type !== 'binding' || state.mode !== 'binding' || !state.root || state.module.tree === 'flake-parts') return undefined;
    const attrs = node.child('attrpath')?.childrenOf('attr') ?? [];
    if (attrs.length === 0 || attrName(attrs[0]!) !== 'options') return undefined;
    stack.push(pendingBinding({ path: [], chain: [], value: undefined, submoduleDepth: 0 }, attrs.slice(1), node.child('expression')));
    return false;
  });
  collect(stack, found);
  return found;
}

function pendingBinding(outer: Pending, attrs: readonly SyntaxNode[], value: SyntaxNode | undefined): Pending {
  const path = [...outer.path];
  const chain = [...outer.chain];
  for (const attr of attrs) {
    const name = attr.type === 'interpolation' ? undefined : attrName(attr);
    path.push(name ?? '<name>');
    if (name !== undefined) chain.push({ node: attr, path: [...path] });
  }
  return { path, chain, value, submoduleDepth: outer.submoduleDepth };
}

function collect(stack: Pending[], found: DeclaredOptions): void {
  const written = new Set<number>();
  while (stack.length) {
    const pending = stack.pop()!;
    if (pending.path.length > MAX_ANALYSIS_DEPTH) continue;
    const value = unparenthesize(pending.value);
    if (!value) continue;
    if (isAttrSetLiteral(value)) {
      for (const binding of value.childOfType('binding_set')?.childrenOf('binding') ?? []) {
        stack.push(pendingBinding(pending, binding.child('attrpath')?.childrenOf('attr') ?? [], binding.child('expression')));
      }
      continue;
    }
    if (value.type !== 'apply_expression') continue;
    const { head, args } = callOf(value);
    if (!head || !DECLARING_FUNCTIONS.has(head)) continue;
    const last = pending.chain[pending.chain.length - 1];
    if (!last || pending.path.length === 0) continue;
    found.declarations.push({ path: pending.path, start: last.node.start, end: last.node.end, declaredWith: head, ...declarationFacts(head, args) });
    for (const { node, path } of pending.chain) {
      if (written.has(node.start)) continue;
      written.add(node.start);
      found.segments.push({ path, start: node.start, end: node.end });
    }
    if (head === 'mkOption' && pending.submoduleDepth < MAX_SUBMODULE_DEPTH) {
      const type = bindingValue(args[0], 'type');
      if (type) pushSubmoduleOptions(type, pending, stack);
    }
  }
  found.declarations.sort((a, b) => a.start - b.start || a.path.length - b.path.length);
  found.segments.sort((a, b) => a.start - b.start);
}

type Facts = Omit<OptionDeclaration, 'path' | 'start' | 'end' | 'declaredWith'>;

function declarationFacts(head: string, args: SyntaxNode[]): Facts {
  if (head === 'mkEnableOption') {
    const name = stringValue(args[0]);
    return {
      type: 'boolean',
      description: name === undefined ? undefined : `Whether to enable ${name}.`,
      default: { kind: 'expression', text: 'false' },
      example: { kind: 'expression', text: 'true' },
    };
  }
  if (head === 'mkPackageOption' || head === 'mkPackageOptionMD') return packageOptionFacts(args);
  const spec = unparenthesize(args[0]);
  if (!spec || !isAttrSetLiteral(spec)) return {};
  const defaultText = bindingValue(spec, 'defaultText');
  const readOnly = bindingValue(spec, 'readOnly');
  return {
    type: describeType(bindingValue(spec, 'type')),
    description: stringValue(bindingValue(spec, 'description')),
    default: literalText(defaultText ?? bindingValue(spec, 'default')),
    example: literalText(bindingValue(spec, 'example')),
    readOnly: readOnly?.type === 'variable_expression' && readOnly.text === 'true' ? true : undefined,
  };
}

/** `mkPackageOption pkgs "name" { default = …; nullable = …; example = …; }`. */
function packageOptionFacts(args: SyntaxNode[]): Facts {
  const name = packagePath(args[1]);
  const extra = unparenthesize(args[2]);
  const settings = extra && isAttrSetLiteral(extra) ? extra : undefined;
  const defaultNode = settings ? bindingValue(settings, 'default') : undefined;
  const defaultPath = defaultNode ? packagePath(defaultNode) : name;
  const nullable = settings ? bindingValue(settings, 'nullable')?.text === 'true' : false;
  const example = settings ? bindingValue(settings, 'example') : undefined;
  const examplePath = example && packagePath(example);
  return {
    type: nullable ? 'null or package' : 'package',
    description: name === undefined ? undefined : `The ${name.join('.')} package to use.`,
    default: defaultNode?.text === 'null' ? { kind: 'expression', text: 'null' } : defaultPath ? { kind: 'expression', text: `pkgs.${defaultPath.join('.')}` } : undefined,
    example: examplePath ? { kind: 'expression', text: `pkgs.${examplePath.join('.')}` } : literalText(example),
  };
}

/** `"hello"` or `[ "python3Packages" "requests" ]`. */
function packagePath(node: SyntaxNode | undefined): string[] | undefined {
  const value = unparenthesize(node);
  if (!value) return undefined;
  if (value.type !== 'list_expression') {
    const single = stringValue(value);
    return single === undefined ? undefined : [single];
  }
  const parts = value.children.filter((c) => c.type !== 'comment').map((c) => stringValue(c));
  return parts.length && parts.every((p): p is string => p !== undefined) ? parts : undefined;
}

/** The value of the binding `name = …;` written directly in the set literal `set`. */
function bindingValue(set: SyntaxNode | undefined, name: string): SyntaxNode | undefined {
  const literal = unparenthesize(set);
  if (!literal || !isAttrSetLiteral(literal)) return undefined;
  for (const binding of literal.childOfType('binding_set')?.childrenOf('binding') ?? []) {
    const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
    if (attrs.length === 1 && attrName(attrs[0]!) === name) return binding.child('expression');
  }
  return undefined;
}

/** Type wrappers around a submodule, with the path part each adds. */
const SUBMODULE_WRAPPERS: ReadonlyMap<string, string | undefined> = new Map([
  ['attrsOf', '<name>'],
  ['lazyAttrsOf', '<name>'],
  ['listOf', '*'],
  ['nullOr', undefined],
  ['uniq', undefined],
  ['unique', undefined],
]);

/** The options of a submodule in the option's type, below the option's path. */
function pushSubmoduleOptions(type: SyntaxNode, option: Pending, stack: Pending[]): void {
  let node = unparenthesize(type);
  const path = [...option.path];
  for (let i = 0; node?.type === 'apply_expression' && i < MAX_SUBMODULE_DEPTH; i++) {
    const { head, args } = callOf(node);
    if (head === 'submodule') {
      const below: Pending = { path, chain: option.chain, value: undefined, submoduleDepth: option.submoduleDepth + 1 };
      for (const binding of moduleBody(args[0])?.childOfType('binding_set')?.childrenOf('binding') ?? []) {
        const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
        if (attrs.length && attrName(attrs[0]!) === 'options') stack.push(pendingBinding(below, attrs.slice(1), binding.child('expression')));
      }
      return;
    }
    if (!head || !SUBMODULE_WRAPPERS.has(head) || args.length !== 1) return;
    const part = SUBMODULE_WRAPPERS.get(head);
    if (part) path.push(part);
    node = unparenthesize(args[0]);
  }
}

/** The attribute set a module returns: the set itself, or a function's (through `let`). */
function moduleBody(node: SyntaxNode | undefined): SyntaxNode | undefined {
  let value = unparenthesize(node);
  for (let i = 0; value && i < 4; i++) {
    if (value.type === 'function_expression') value = unparenthesize(value.child('body'));
    else if (value.type === 'let_expression') value = unparenthesize(value.child('body'));
    else break;
  }
  return value && isAttrSetLiteral(value) ? value : undefined;
}
