// Which NUR repository a document belongs to. Finding out parses the candidate default.nix files,
// so the answer is cached per directory until a repository's layout may have changed.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Parser } from 'web-tree-sitter';
import { findNurRepositoryRoot } from './nur/repository';

export class NurDocuments {
  private readonly roots = new Map<string, string | undefined>();

  constructor(private readonly parser: Parser) {}

  /** The NUR repository root of a `file:` document, if it is inside one. */
  rootOf(uri: string): { path: string; root: string } | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    const directory = dirname(path);
    if (!this.roots.has(directory)) {
      let root: string | undefined;
      try {
        root = findNurRepositoryRoot(directory, this.parser);
      } catch {
        root = undefined;
      }
      this.roots.set(directory, root);
    }
    const root = this.roots.get(directory);
    return root ? { path, root } : undefined;
  }

  /** A default.nix or flake.nix changed on disk, or a command changed a layout. */
  forget(): void {
    this.roots.clear();
  }
}
