// The names a file defines for others to find by name: its top-level `let` bindings and the
// attributes of the set it evaluates to (two levels deep, `lib.strings.hasPrefix` style), and in a
// `flake.nix` the outputs (`packages.x86_64-linux.default`, `nixosConfigurations.box`), also when
// written through flake-parts (`flake.nixosConfigurations.box`, `perSystem`'s `packages.default`).
// A module's attributes are left out: declared options are found by optionDeclarations.ts, and
// the options a module sets are not definitions of its own.
import { isAttrSetLiteral, unparenthesize } from './attrShapes';
import { flakeOutputsFunction } from './flakeInputs';
import { callOf, fileModule } from './modules';
import { attrName } from './names';
import type { SyntaxNode } from './syntaxTree';

export type OutlineKind = 'let' | 'attribute' | 'flakeOutput';

/** What a name is bound to, as far as the syntax says. */
export type ValueShape = 'function' | 'set' | 'other';

export interface OutlineName {
  /** Dotted, as written (`lib.strings`, `packages.x86_64-linux.default`). */
  name: string;
  kind: OutlineKind;
  value: ValueShape;
  /** The binding's last name. */
  start: number;
  end: number;
}

/** How many nested sets deep attributes are listed. */
const MAX_ATTRIBUTE_DEPTH = 2;
/** `packages.<system>.<name>` is three deep. */
const MAX_OUTPUT_DEPTH = 3;
/** How many `let`/function/`with` layers are looked through to find the value. */
const MAX_WRAPPERS = 16;

export function fileOutline(root: SyntaxNode, isFlake: boolean): OutlineName[] {
  const found: OutlineName[] = [];
  const outputs = isFlake ? flakeOutputsFunction(root) : undefined;
  if (outputs) {
    const body = valueOf(outputs.child('body'), found);
    if (body) addOutputs(body, found);
    return found;
  }
  const value = valueOf(root.children.find((c) => c.type !== 'comment'), found);
  // What a module's set holds are option definitions, not names of its own.
  if (value && fileModule(root) === undefined) addAttributes(value, [], MAX_ATTRIBUTE_DEPTH, 'attribute', found);
  return found;
}

/** The expression under functions, `let` (whose bindings are noted), `with`, `assert` and parentheses. */
function valueOf(node: SyntaxNode | undefined, found: OutlineName[]): SyntaxNode | undefined {
  let value = unparenthesize(node);
  for (let i = 0; value && i < MAX_WRAPPERS; i++) {
    if (value.type === 'let_expression') {
      const set = value.childOfType('binding_set');
      if (set) for (const binding of set.childrenOf('binding')) addBinding(binding, [], 'let', found);
    } else if (value.type !== 'function_expression' && value.type !== 'with_expression' && value.type !== 'assert_expression') {
      return value;
    }
    value = unparenthesize(value.child('body'));
  }
  return value;
}

function addAttributes(set: SyntaxNode, prefix: string[], depth: number, mode: 'attribute' | 'flakeOutput', found: OutlineName[]): void {
  if (!isAttrSetLiteral(set)) return;
  for (const binding of set.childOfType('binding_set')?.childrenOf('binding') ?? []) {
    const names = namesOf(binding);
    if (!names) continue;
    const path = [...prefix, ...names];
    addBinding(binding, prefix, mode === 'flakeOutput' ? 'flakeOutput' : 'attribute', found);
    const inner = unparenthesize(binding.child('expression'));
    if (inner && path.length < depth) addAttributes(inner, path, depth, mode, found);
  }
}

function addBinding(binding: SyntaxNode, prefix: string[], kind: OutlineKind, found: OutlineName[]): void {
  const names = namesOf(binding);
  const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
  const last = attrs[attrs.length - 1];
  if (!names || !last) return;
  found.push({ name: [...prefix, ...names].join('.'), kind, value: shapeOf(binding.child('expression')), start: last.start, end: last.end });
}

function namesOf(binding: SyntaxNode): string[] | undefined {
  const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
  const names = attrs.map((a) => (a.type === 'interpolation' ? undefined : attrName(a)));
  return names.length && names.every((n): n is string => n !== undefined) ? names : undefined;
}

function shapeOf(node: SyntaxNode | undefined): ValueShape {
  const value = unparenthesize(node);
  if (value?.type === 'function_expression') return 'function';
  return isAttrSetLiteral(value) ? 'set' : 'other';
}

/** A flake's outputs: the set itself, or flake-parts' `mkFlake { … } { flake = …; perSystem = …; }`. */
function addOutputs(body: SyntaxNode, found: OutlineName[]): void {
  if (body.type === 'apply_expression') {
    const { head, args } = callOf(body);
    const module = head === 'mkFlake' ? valueOf(args[args.length - 1], found) : undefined;
    if (module) addFlakePartsOutputs(module, found);
    return;
  }
  addAttributes(body, [], MAX_OUTPUT_DEPTH, 'flakeOutput', found);
}

function addFlakePartsOutputs(module: SyntaxNode, found: OutlineName[]): void {
  if (!isAttrSetLiteral(module)) return;
  for (const binding of module.childOfType('binding_set')?.childrenOf('binding') ?? []) {
    const names = namesOf(binding);
    if (!names) continue;
    const value = unparenthesize(binding.child('expression'));
    if (names[0] === 'flake') {
      const attrs = binding.child('attrpath')?.childrenOf('attr') ?? [];
      const last = attrs[attrs.length - 1]!;
      const name = names.slice(1).join('.');
      if (names.length > 1) found.push({ name, kind: 'flakeOutput', value: shapeOf(value), start: last.start, end: last.end });
      else if (value) addAttributes(value, [], MAX_OUTPUT_DEPTH - 1, 'flakeOutput', found);
    } else if (names[0] === 'perSystem' && names.length === 1) {
      const perSystem = valueOf(value, found);
      // `packages.default` of every system: listed without the system.
      if (perSystem) addAttributes(perSystem, [], MAX_OUTPUT_DEPTH - 1, 'flakeOutput', found);
    }
  }
}
