// What an expression stands for, as far as completion and hover care: somewhere in nixpkgs, in
// `lib`, in `builtins`, in NUR, in a flake input, in a module's `config`, or in an attribute set
// written in this file. Decided from the code alone, by following variables to their bindings and
// by the names the Nix world uses by convention (`pkgs`, `lib`, `inputs`, `final`/`prev`, …).
import { entryAt, unparenthesize, type AttrShape } from './attrShapes';
import { isNixpkgsInput, isNurInput, type FlakeInput } from './flakeInputs';
import { LocalShapes } from './localShapes';
import { attrName } from './names';
import type { Definition, Scopes } from './scopes';
import type { SyntaxNode } from './syntaxTree';

/** One step of an attribute path; `null` when it is computed at evaluation time (`${system}`). */
export type PathPart = string | null;

export type Denotation =
  | { kind: 'nixpkgs'; path: PathPart[] }
  | { kind: 'lib'; path: PathPart[] }
  | { kind: 'builtins'; path: PathPart[] }
  /** NUR's package set, as `nur` or `pkgs.nur` (its attributes: `repos.<repo>.<package>`). */
  | { kind: 'nur'; path: PathPart[] }
  /** The inputs of a flake (`inputs`, `self.inputs`, the `@inputs` of `outputs`). */
  | { kind: 'flakeInputs' }
  | { kind: 'flakeInput'; name: string; path: PathPart[] }
  /** The flake itself (`self` in `outputs`). */
  | { kind: 'self'; path: PathPart[] }
  /** A module's `config` argument. */
  | { kind: 'config'; path: PathPart[] }
  /** An attribute set written in this file, and the path into it. */
  | { kind: 'localSet'; shape: AttrShape; path: PathPart[] };

const MAX_DEPTH = 24;

export interface DenotationContext {
  scopes: Scopes;
  /** The flake's declared inputs (empty outside flake.nix). */
  flakeInputs: ReadonlyMap<string, FlakeInput>;
  /** The flake's `outputs` function, whose formals are inputs. */
  outputsFunction: SyntaxNode | undefined;
  /**
   * Only what the code itself says: names that no scope binds or that a `with` may provide are
   * not taken by their conventional meaning, and overlay parameters (which hold attributes the
   * overlays add) are not nixpkgs. For diagnostics, which must not guess.
   */
  strict?: boolean;
}

export class Denoter {
  private readonly shapes: LocalShapes;
  private depth = 0;

  constructor(private readonly context: DenotationContext) {
    this.shapes = new LocalShapes(context.scopes);
  }

  /** What `expression` stands for, or undefined when nothing useful is known. */
  denote(expression: SyntaxNode | undefined): Denotation | undefined {
    const node = unparenthesize(expression);
    if (!node || this.depth > MAX_DEPTH) return undefined;
    this.depth++;
    try {
      return this.compute(node);
    } finally {
      this.depth--;
    }
  }

  private compute(node: SyntaxNode): Denotation | undefined {
    switch (node.type) {
      case 'variable_expression': {
        const name = node.child('name');
        return name && !name.isMissing ? this.denoteVariable(name.text, name) : undefined;
      }
      case 'select_expression': {
        const base = this.denote(node.child('expression'));
        const parts = pathParts(node.child('attrpath'));
        return base && this.extend(base, parts);
      }
      case 'apply_expression':
        return this.denoteApplication(node);
      case 'let_expression':
      case 'with_expression':
      case 'assert_expression':
        return this.denote(node.child('body'));
      case 'attrset_expression':
      case 'rec_attrset_expression':
        return { kind: 'localSet', shape: this.context.scopes.shapeOf(node), path: [] };
      default:
        return undefined;
    }
  }

  /** `import <nixpkgs> { … }`, `import nixpkgs { … }`, `import inputs.nixpkgs { … }`. */
  private denoteApplication(node: SyntaxNode): Denotation | undefined {
    const fn = unparenthesize(node.child('function'));
    if (fn?.type !== 'apply_expression') return undefined;
    const importer = unparenthesize(fn.child('function'));
    if (importer?.type !== 'variable_expression' || importer.child('name')?.text !== 'import') return undefined;
    const imported = unparenthesize(fn.child('argument'));
    if (!imported) return undefined;
    if (imported.type === 'spath_expression') return imported.text === '<nixpkgs>' ? { kind: 'nixpkgs', path: [] } : undefined;
    const source = this.denote(imported);
    if (source?.kind === 'flakeInput' && source.path.length === 0 && this.isNixpkgs(source.name)) return { kind: 'nixpkgs', path: [] };
    if (imported.type === 'variable_expression' && /^nixpkgs/.test(imported.text) && !source) return { kind: 'nixpkgs', path: [] };
    return undefined;
  }

  /** What the variable `name`, used at `at`, stands for. */
  denoteVariable(name: string, at: SyntaxNode): Denotation | undefined {
    const resolution = this.context.scopes.lookup(name, at);
    switch (resolution.kind) {
      case 'local':
        return this.denoteDefinition(resolution.definition);
      case 'builtin':
        return name === 'builtins' ? { kind: 'builtins', path: [] } : undefined;
      case 'with': {
        if (this.context.strict) return undefined;
        for (const w of resolution.withs) {
          const environment = this.denote(w.child('environment'));
          if (!environment) continue;
          if (environment.kind === 'localSet') {
            const shape = this.shapeAt(environment);
            if (shape?.entries.has(name)) return this.extend(environment, [name]);
            continue;
          }
          return this.extend(environment, [name]);
        }
        return conventional(name);
      }
      case 'undefined':
        return this.context.strict ? undefined : conventional(name);
    }
  }

  /**
   * What `question` gives asked from every depth a nested question can reach it at: chains longer
   * than the depth limit are cut short, so two versions of a binding denote the same for every
   * reader only when they agree at each depth.
   */
  atEveryDepth(question: (denoter: Denoter) => Denotation | undefined): (Denotation | undefined)[] {
    const saved = this.depth;
    try {
      const answers: (Denotation | undefined)[] = [];
      for (let depth = 0; depth <= MAX_DEPTH + 1; depth++) {
        this.depth = depth;
        answers.push(question(this));
      }
      return answers;
    } finally {
      this.depth = saved;
    }
  }

  /** What a variable bound by `definition` stands for. */
  denoteDefinition(definition: Definition): Denotation | undefined {
    const { name } = definition;
    switch (definition.kind) {
      case 'formal':
      case 'pattern':
      case 'parameter': {
        const fn = definition.scope;
        if (fn === this.context.outputsFunction) {
          if (definition.kind === 'pattern') return { kind: 'flakeInputs' };
          if (name === 'self') return { kind: 'self', path: [] };
          return { kind: 'flakeInput', name, path: [] };
        }
        if (definition.kind === 'parameter' && isOverlayParameter(fn)) return this.context.strict ? undefined : { kind: 'nixpkgs', path: [] };
        const byName = conventional(name);
        if (byName) return byName;
        const fallback = definition.formal?.child('default');
        return fallback ? this.denote(fallback) : undefined;
      }
      case 'let':
      case 'rec': {
        const entry = definition.entry!;
        if (entry.values.length === 1 && !entry.nested) return this.denote(entry.values[0]);
        const inherited = entry.inherits[0];
        if (inherited) {
          if (inherited.from) {
            const from = this.denote(inherited.from);
            return from && this.extend(from, [name]);
          }
          // `inherit name;` reads the variable of the same name outside.
          return this.denoteVariable(name, inherited.attr);
        }
        const shape = this.shapes.shapeOfDefinition(definition);
        return shape ? { kind: 'localSet', shape, path: [] } : undefined;
      }
    }
  }

  private isNixpkgs(inputName: string): boolean {
    return isNixpkgsInput(inputName, this.context.flakeInputs.get(inputName)?.url);
  }

  private isNur(inputName: string): boolean {
    return isNurInput(inputName, this.context.flakeInputs.get(inputName)?.url);
  }

  /** Follows `parts` from `base`, normalising well-known routes (`pkgs.lib` is `lib`, …). */
  extend(base: Denotation, parts: PathPart[]): Denotation | undefined {
    let current: Denotation = base;
    for (const part of parts) {
      const next = this.step(current, part);
      if (!next) return undefined;
      current = next;
    }
    return current;
  }

  private step(d: Denotation, part: PathPart): Denotation | undefined {
    switch (d.kind) {
      case 'nixpkgs': {
        if (d.path.length === 0 && part === 'lib') return { kind: 'lib', path: [] };
        if (d.path.length === 0 && part === 'pkgs') return d;
        if (d.path.length === 0 && part === 'nur') return { kind: 'nur', path: [] };
        if (d.path.length === 1 && d.path[0] === 'stdenv' && part === 'lib') return { kind: 'lib', path: [] };
        return { kind: 'nixpkgs', path: [...d.path, part] };
      }
      case 'lib':
      case 'builtins':
        return { kind: d.kind, path: [...d.path, part] };
      case 'nur':
        // `nur.legacyPackages.${system}` (the NUR flake) is the same package set.
        if (d.path.length === 0 && part === 'legacyPackages') return { kind: 'nur', path: ['legacyPackages'] };
        if (d.path.length === 1 && d.path[0] === 'legacyPackages') return { kind: 'nur', path: [] };
        return { kind: 'nur', path: [...d.path, part] };
      case 'flakeInputs':
        return part === null ? undefined : { kind: 'flakeInput', name: part, path: [] };
      case 'flakeInput': {
        const path = [...d.path, part];
        if (this.isNixpkgs(d.name)) {
          if (path.length === 1 && path[0] === 'lib') return { kind: 'lib', path: [] };
          if (path[0] === 'legacyPackages' && path.length === 2) return { kind: 'nixpkgs', path: [] };
        }
        if (this.isNur(d.name) && path[0] === 'legacyPackages' && path.length === 2) return { kind: 'nur', path: [] };
        return { kind: 'flakeInput', name: d.name, path };
      }
      case 'self':
        if (d.path.length === 0 && part === 'inputs') return { kind: 'flakeInputs' };
        return { kind: 'self', path: [...d.path, part] };
      case 'config':
        if (d.path.length === 0 && part === 'nur') return { kind: 'nur', path: [] };
        return { kind: 'config', path: [...d.path, part] };
      case 'localSet':
        return { kind: 'localSet', shape: d.shape, path: [...d.path, part] };
    }
  }

  /** The attribute set a `localSet` denotation points into, if every step is known. */
  shapeAt(d: Denotation & { kind: 'localSet' }): AttrShape | undefined {
    if (d.path.length === 0) return d.shape;
    if (d.path.some((p) => p === null)) return undefined;
    return this.shapes.shapeOfEntry(entryAt(d.shape, d.path as string[]));
  }
}

/** Names that mean the same thing in nearly all Nix code. */
function conventional(name: string): Denotation | undefined {
  switch (name) {
    case 'pkgs':
      return { kind: 'nixpkgs', path: [] };
    case 'lib':
      return { kind: 'lib', path: [] };
    case 'builtins':
      return { kind: 'builtins', path: [] };
    case 'nur':
      return { kind: 'nur', path: [] };
    case 'inputs':
      return { kind: 'flakeInputs' };
    case 'config':
      return { kind: 'config', path: [] };
    default:
      return undefined;
  }
}

const OVERLAY_NAMES = new Set(['final', 'prev', 'self', 'super']);

/** `final: prev: { … }`: both parameters of an overlay are package sets. */
function isOverlayParameter(fn: SyntaxNode): boolean {
  const own = fn.child('universal')?.text;
  if (!own || !OVERLAY_NAMES.has(own)) return false;
  const body = unparenthesize(fn.child('body'));
  if (body?.type === 'function_expression' && !body.child('formals')) {
    return OVERLAY_NAMES.has(body.child('universal')?.text ?? '');
  }
  const outer = fn.parent;
  if (outer?.type === 'function_expression' && fn.field === 'body' && !outer.child('formals')) {
    return OVERLAY_NAMES.has(outer.child('universal')?.text ?? '');
  }
  return false;
}

/** The parts of an attribute path; dynamic parts (`${x}`) are null. */
export function pathParts(attrpath: SyntaxNode | undefined): PathPart[] {
  return (attrpath?.childrenOf('attr') ?? []).map((a) => attrName(a) ?? null);
}
