// Reads workspace files for the build's diagnostics: the editor's copy when the file is open (so
// positions match what the user sees, unsaved edits included), else the file on disk, parsed here
// and freed when the build's work is done.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Parser, Tree } from 'web-tree-sitter';
import type { LoadedFile } from './evaluationDiagnostics';
import { parseNix } from '../../syntax/grammarText';

/** What the build needs of an open document; `NixDocument` satisfies it. */
export interface WorkspaceDocument {
  readonly uri: string;
  readonly content: string;
  readonly tree: Tree;
}

/** Maps a file path to the open document for it, if any. */
export type DocumentLookup = (filePath: string) => WorkspaceDocument | undefined | Promise<WorkspaceDocument | undefined>;

/** Files larger than this are not parsed for the hash search. */
const MAX_PARSED_SIZE = 2_000_000;

export class FileLoader {
  private readonly cache = new Map<string, Promise<LoadedFile | undefined>>();
  private readonly ownTrees: Tree[] = [];

  constructor(
    private readonly lookup: DocumentLookup | undefined,
    private readonly parser: Parser | undefined,
  ) {}

  load(path: string): Promise<LoadedFile | undefined> {
    let pending = this.cache.get(path);
    if (!pending) {
      pending = this.read(path);
      this.cache.set(path, pending);
    }
    return pending;
  }

  private async read(path: string): Promise<LoadedFile | undefined> {
    try {
      const open = await this.lookup?.(path);
      if (open) return { uri: open.uri, content: open.content, tree: open.tree };
    } catch {
      // Fall back to the disk copy.
    }
    let content: string;
    try {
      content = await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
    let tree: Tree | undefined;
    if (this.parser && content.length <= MAX_PARSED_SIZE) {
      tree = parseNix(this.parser, content) ?? undefined;
      if (tree) this.ownTrees.push(tree);
    }
    return { uri: pathToFileURL(path).href, content, tree };
  }

  /** Frees the trees parsed from disk; open documents' trees belong to their documents. */
  dispose(): void {
    for (const tree of this.ownTrees.splice(0)) tree.delete();
    this.cache.clear();
  }
}
