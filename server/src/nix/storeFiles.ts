// Files in the Nix store as the user's Nix sees them (the declarations of evaluated options live
// there). Usually a store path is on disk at that very path. A Nix that runs elsewhere — in a
// chroot or a container, reached through a wrapper — keeps its store out of the server's sight:
// such a file is read through that Nix (`nix store cat`), once, and kept for later requests.
import { readFileSync } from 'node:fs';
import { runProcess as defaultRunProcess, type ProcessOptions, type ProcessResult } from './process';

/** A file inside a store object: `/nix/store/<hash>-<name>/<path>`; nothing else is ever read through Nix. */
const STORE_FILE = /^\/nix\/store\/[0-9a-z]{32}-[^/]+\/[^\0]+$/;

/** How many texts read through Nix are kept (module files are small). */
const KEPT = 64;

export interface StoreFilesOptions {
  /** The `nix` program. */
  nix: () => string;
  env: () => NodeJS.ProcessEnv;
  runProcess?: (program: string, args: readonly string[], options?: ProcessOptions) => Promise<ProcessResult>;
  timeoutMs?: number;
}

export class StoreFiles {
  /** Texts read through Nix, most recently used last; `null`: Nix could not read it either. */
  private readonly texts = new Map<string, string | null>();

  constructor(private readonly options: StoreFilesOptions) {}

  /** The file's text: from disk, else as read through Nix before; undefined when neither has it. */
  read(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      const text = this.texts.get(path);
      if (text === undefined) return undefined;
      this.texts.delete(path);
      this.texts.set(path, text);
      return text ?? undefined;
    }
  }

  /** Reads through Nix the store files among `paths` that are neither on disk nor read before. */
  async fetch(paths: readonly string[], signal?: AbortSignal): Promise<void> {
    const wanted = [...new Set(paths)].filter((path) => STORE_FILE.test(path) && !path.split('/').includes('..') && !this.texts.has(path) && this.read(path) === undefined);
    for (const path of wanted) {
      if (signal?.aborted) return;
      this.keep(path, await this.cat(path, signal));
    }
  }

  private async cat(path: string, signal: AbortSignal | undefined): Promise<string | null> {
    const run = this.options.runProcess ?? defaultRunProcess;
    try {
      const result = await run(this.options.nix(), ['--extra-experimental-features', 'nix-command', 'store', 'cat', path], {
        env: this.options.env(),
        signal,
        timeoutMs: this.options.timeoutMs ?? 5_000,
      });
      return result.code === 0 ? result.stdout : null;
    } catch {
      return null;
    }
  }

  private keep(path: string, text: string | null): void {
    this.texts.set(path, text);
    while (this.texts.size > KEPT) this.texts.delete(this.texts.keys().next().value!);
  }
}
