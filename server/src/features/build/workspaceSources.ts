// Maps the files Nix names in its messages back to the workspace. A flake is evaluated from a copy
// in the store (`/nix/store/<hash>-source/<rel>`, the whole git repository or `path:` directory),
// so `<rel>` is resolved against the directory that was copied. Inputs are copied to
// `…-source` paths too; the copy that is ours is recognised by the first `flake.nix` Nix evaluates
// (named in `-v` output: "evaluating file '/nix/store/<hash>-source/sub/flake.nix'"). Without that
// message, a store path is accepted only when the same relative file exists in the workspace.
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { stripAnsi } from '../../nix/ansi';


const STORE_SOURCE = /^\/nix\/store\/([0-9a-z]{32})-source(\/.*)?$/;
const EVALUATING = /^evaluating file '([^']+)'$/;

export interface WorkspaceSourcesOptions {
  /** The directory copied to the store: the git work tree holding the flake, or the flake itself. */
  sourceRoot: string;
  /** The flake's directory inside sourceRoot (equal to it unless the flake is in a subdirectory). */
  flakeDir?: string;
  exists?: (path: string) => boolean;
}

/** The git work tree a directory belongs to, or the directory itself (a `path:` flake). */
export function sourceRootOf(dir: string, exists: (path: string) => boolean = existsSync): string {
  for (let current = dir; ; current = dirname(current)) {
    if (exists(join(current, '.git'))) return current;
    if (dirname(current) === current) return dir;
  }
}

export class WorkspaceSources {
  private storeHash: string | undefined;
  private readonly evaluated = new Set<string>();
  private readonly exists: (path: string) => boolean;

  constructor(private readonly options: WorkspaceSourcesOptions) {
    this.exists = options.exists ?? existsSync;
  }

  /** Feeds one message Nix printed; learns our store copy and which files were evaluated. */
  observe(message: string): void {
    const file = EVALUATING.exec(stripAnsi(message).trim())?.[1];
    if (!file) return;
    const store = STORE_SOURCE.exec(file);
    if (store && this.storeHash === undefined && this.options.flakeDir !== undefined) {
      const flakeRel = relative(this.options.sourceRoot, this.options.flakeDir).split(sep).join('/');
      const expected = `/${flakeRel ? `${flakeRel}/` : ''}flake.nix`;
      if (store[2] === expected) this.storeHash = store[1];
    }
    const local = this.toWorkspacePath(file);
    if (local) this.evaluated.add(local);
  }

  /** Workspace files Nix evaluated during this run, in the order it first named them. */
  evaluatedFiles(): string[] {
    return [...this.evaluated];
  }

  /** The workspace file behind a path Nix printed, or undefined when it is not ours. */
  toWorkspacePath(file: string): string | undefined {
    const store = STORE_SOURCE.exec(file);
    if (store) {
      if (this.storeHash !== undefined && store[1] !== this.storeHash) return undefined;
      const candidate = join(this.options.sourceRoot, ...(store[2] ?? '').split('/').filter(Boolean));
      if (this.storeHash !== undefined) return candidate;
      return store[2] && this.exists(candidate) ? candidate : undefined;
    }
    if (file.startsWith('/nix/store/')) return undefined;
    if (!file.startsWith('/')) return undefined;
    // Non-flake builds (and Nix versions that evaluate flakes in place) name the real files.
    return file;
  }
}
