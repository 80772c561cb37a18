// The flake a flake.nix document belongs to: its syntax (cached per document version) and its
// flake.lock (re-read when the file on disk changes).
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFlakeLock, type FlakeLockStatus } from './flake/flakeLock';
import { readFlakeSyntax, type FlakeSyntax } from './flake/flakeSyntax';
import type { NixDocument } from './syntax/document';

export function isFlakeDocument(uri: string): boolean {
  return uri.startsWith('file:') && uri.endsWith('/flake.nix');
}

export class FlakeDocuments {
  private readonly syntaxCache = new Map<string, { version: number; syntax: FlakeSyntax }>();
  private readonly lockCache = new Map<string, { mtimeMs: number; size: number; status: FlakeLockStatus }>();

  syntax(document: NixDocument): FlakeSyntax {
    const cached = this.syntaxCache.get(document.uri);
    if (cached && cached.version === document.version) return cached.syntax;
    const syntax = readFlakeSyntax(document.tree.rootNode);
    this.syntaxCache.set(document.uri, { version: document.version, syntax });
    return syntax;
  }

  /** The flake.lock beside a flake.nix; `missing` when there is none or it cannot be read. */
  lock(flakeUri: string): FlakeLockStatus {
    const path = join(dirname(fileURLToPath(flakeUri)), 'flake.lock');
    let stat;
    try {
      stat = statSync(path);
    } catch {
      this.lockCache.delete(path);
      return { state: 'missing' };
    }
    const cached = this.lockCache.get(path);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.status;
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    const status = readFlakeLock(text);
    this.lockCache.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, status });
    return status;
  }

  forget(uri: string): void {
    this.syntaxCache.delete(uri);
  }
}
