// The options the workspace's files declare, as one tree of path parts, kept up to date file by
// file: a file's declarations are added when it is indexed and taken out when it changes. Queries
// take paths as the user writes them; a declared placeholder part (`<name>` of an attribute set of
// submodules, `*` of a list) matches any one part, and a literal part wins over a placeholder.
import type { DeclaredOption } from '../analysis/fileDeclarations';

export interface WorkspaceOption {
  /** The declaring file. */
  uri: string;
  option: DeclaredOption;
}

export interface DeclaredChild {
  name: string;
  /** `option`: declared here; `set`: options are declared below it. */
  kind: 'option' | 'set';
  placeholder: boolean;
}

export type DeclaredPathKind = 'option' | 'prefix' | 'inside-option' | 'unknown';

interface Node {
  readonly children: Map<string, Node>;
  declarations: WorkspaceOption[];
  /** Declarations in this subtree, so emptied branches can be pruned. */
  count: number;
}

/** Bounds how many declared paths a written path may stand for (placeholders multiply them). */
const MAX_CANDIDATES = 64;

export function isPlaceholder(part: string): boolean {
  return part === '*' || (part.startsWith('<') && part.endsWith('>'));
}

function newNode(): Node {
  return { children: new Map(), declarations: [], count: 0 };
}

export class DeclaredOptionTree {
  private readonly root = newNode();

  get size(): number {
    return this.root.count;
  }

  add(uri: string, options: readonly DeclaredOption[]): void {
    for (const option of options) {
      const chain = [this.root];
      let node = this.root;
      for (const part of option.path) {
        let child = node.children.get(part);
        if (!child) node.children.set(part, (child = newNode()));
        chain.push((node = child));
      }
      node.declarations.push({ uri, option });
      for (const n of chain) n.count++;
    }
  }

  remove(uri: string, options: readonly DeclaredOption[]): void {
    for (const option of options) {
      const chain: Node[] = [this.root];
      let node: Node | undefined = this.root;
      for (const part of option.path) {
        node = node.children.get(part);
        if (!node) break;
        chain.push(node);
      }
      if (!node) continue;
      const before = node.declarations.length;
      node.declarations = node.declarations.filter((d) => !(d.uri === uri && d.option === option));
      if (node.declarations.length === before) continue;
      for (const n of chain) n.count--;
      for (let i = chain.length - 1; i > 0; i--) {
        if (chain[i]!.count === 0) chain[i - 1]!.children.delete(option.path[i - 1]!);
      }
    }
  }

  /** The declared nodes a written path stands for, literal matches first. */
  private resolve(path: readonly string[]): Node[] {
    let nodes = [this.root];
    for (const part of path) {
      const next: Node[] = [];
      for (const node of nodes) {
        const literal = node.children.get(part);
        if (literal) next.push(literal);
        for (const [name, child] of node.children) if (name !== part && isPlaceholder(name)) next.push(child);
      }
      if (next.length === 0) return [];
      nodes = next.slice(0, MAX_CANDIDATES);
    }
    return nodes;
  }

  /** The options declared at `path` (several when files declare the same option). */
  lookup(path: readonly string[]): WorkspaceOption[] {
    return this.resolve(path).flatMap((node) => node.declarations);
  }

  children(path: readonly string[], prefix = ''): DeclaredChild[] {
    const byName = new Map<string, DeclaredChild>();
    for (const node of this.resolve(path)) {
      for (const [name, child] of node.children) {
        if (!name.startsWith(prefix) && !isPlaceholder(name)) continue;
        const kind = child.declarations.length ? 'option' : 'set';
        const known = byName.get(name);
        if (!known || kind === 'option') byName.set(name, { name, kind, placeholder: isPlaceholder(name) });
      }
    }
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** What a written path is among the declared options. */
  classify(path: readonly string[]): DeclaredPathKind {
    if (path.length === 0) return this.root.count ? 'prefix' : 'unknown';
    const nodes = this.resolve(path);
    if (nodes.some((n) => n.declarations.length)) return 'option';
    if (nodes.length) return 'prefix';
    // Below a declared option: inside its value (a freeform or attribute-set option).
    for (let i = path.length - 1; i > 0; i--) if (this.resolve(path.slice(0, i)).some((n) => n.declarations.length)) return 'inside-option';
    return 'unknown';
  }

  /**
   * The declared path a written path stands for (`my.sites.<name>.port` for `my.sites.web.port`),
   * literal parts preferred; undefined when nothing is declared there.
   */
  pattern(path: readonly string[]): string[] | undefined {
    const found: string[] = [];
    let node = this.root;
    for (const part of path) {
      let next = node.children.get(part);
      let name = part;
      if (!next) {
        for (const [candidate, child] of node.children) {
          if (isPlaceholder(candidate)) {
            next = child;
            name = candidate;
            break;
          }
        }
      }
      if (!next) return undefined;
      found.push(name);
      node = next;
    }
    return found;
  }

  /** Whether options are declared below `path` (written parts match declared ones exactly). */
  hasChildren(path: readonly string[]): boolean {
    let node: Node | undefined = this.root;
    for (const part of path) if (!(node = node.children.get(part))) return false;
    return node.children.size > 0;
  }

  /** Every declaration at or below `path` (written parts must match declared ones exactly). */
  below(path: readonly string[]): WorkspaceOption[] {
    let node: Node | undefined = this.root;
    for (const part of path) if (!(node = node.children.get(part))) return [];
    const found: WorkspaceOption[] = [];
    const stack = [node];
    while (stack.length) {
      const n = stack.pop()!;
      found.push(...n.declarations);
      stack.push(...n.children.values());
    }
    return found;
  }
}
