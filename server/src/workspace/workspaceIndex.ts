// What every `.nix` file of the workspace declares (see analysis/fileDeclarations.ts), kept per
// file and fresh: the workspace folders are scanned in the background, one file at a time with the
// event loop free in between (so typing is never held up by more than one file's analysis), and
// open documents replace their disk copy as they are edited. Watched-file events and saves
// re-read single files. Files larger than the size limit are left out.
import { relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FileDeclarations, OptionName } from '../analysis/fileDeclarations';
import { DeclaredOptionTree } from './declaredOptionTree';
import type { FileExtraction } from './fileExtraction';
import { nixFilesIn } from './nixFileWalk';

export interface IndexedFile {
  readonly uri: string;
  readonly declarations: FileDeclarations;
  /** True while an open document, not the file on disk, is what was indexed. */
  readonly fromEditor: boolean;
}

export interface WorkspaceIndexOptions {
  /** Reads what a file on disk declares. */
  extraction: FileExtraction;
  /** Larger files are not indexed. */
  maxFileSize(): number;
  /** Called after files were added, changed or removed (batched per scan slice). */
  onChange?(uris: readonly string[]): void;
  log?(message: string): void;
}

/** The most files indexed: more than nixpkgs has outside `pkgs/` (a workspace can hold anything). */
export const MAX_INDEXED_FILES = 50_000;
/** Work done before the event loop gets a turn, while scanning. */
const SLICE_MS = 8;

export type ScanState = { state: 'idle' } | { state: 'scanning'; done: number; total: number } | { state: 'ready'; files: number; truncated: boolean; ms: number };

/** A `file:` URI written the way this index keys files. */
export function normalizeUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export class WorkspaceIndex {
  readonly options = new DeclaredOptionTree();
  private readonly files = new Map<string, IndexedFile>();
  /** One copy of each path part: a large workspace writes the same few thousand names everywhere. */
  private readonly parts = new Map<string, string>();
  /** Written option-path names by their last part, then by file: references look up one name. */
  private readonly namesByLast = new Map<string, Map<string, OptionName[]>>();
  private folders: string[] = [];
  private scanGeneration = 0;
  private scanState: ScanState = { state: 'idle' };
  private scanned: Promise<void> = Promise.resolve();
  /** Bumped when the declared options (paths or types) change. */
  optionsGeneration = 0;

  constructor(private readonly host: WorkspaceIndexOptions) {}

  get state(): ScanState {
    return this.scanState;
  }

  get scanning(): boolean {
    return this.scanState.state === 'scanning';
  }

  /** Resolves when the current scan has finished. */
  whenScanned(): Promise<void> {
    return this.scanned;
  }

  all(): IterableIterator<IndexedFile> {
    return this.files.values();
  }

  /** Every written option-path name whose path ends with `last`, with its file. */
  *optionNamesEnding(last: string): Generator<{ uri: string; name: OptionName }> {
    for (const [uri, names] of this.namesByLast.get(last) ?? []) for (const name of names) yield { uri, name };
  }

  get(uri: string): IndexedFile | undefined {
    return this.files.get(normalizeUri(uri));
  }

  /** A file's path relative to the workspace folder holding it (for display). */
  displayName(uri: string): string {
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return uri;
    }
    for (const folder of this.folders) {
      const rel = relative(folder, path);
      if (rel && !rel.startsWith('..') && !rel.startsWith(sep)) return rel.split(sep).join('/');
    }
    return path;
  }

  /** Starts (or restarts) scanning these folders in the background. */
  setFolders(folders: readonly string[]): Promise<void> {
    this.folders = [...folders];
    const generation = ++this.scanGeneration;
    this.scanned = this.scan(generation).catch((error) => {
      this.host.log?.(`workspace index: scan failed: ${String(error)}`);
      // What was indexed stays; nothing waits for a scan that will not finish.
      if (generation === this.scanGeneration) this.scanState = { state: 'ready', files: this.files.size, truncated: false, ms: 0 };
    });
    return this.scanned;
  }

  /**
   * An open document's declarations replace its file's. Documents outside the workspace folders
   * (a nixpkgs module opened by "go to definition") are not the workspace's and are not indexed;
   * without workspace folders (an editor opened on single files) the open documents are the workspace.
   */
  setFromEditor(uri: string, declarations: FileDeclarations): void {
    const key = normalizeUri(uri);
    if (!this.inWorkspace(key)) return;
    this.store(key, declarations, true);
    this.changed([key]);
  }

  /** Whether `uri` is a file inside one of the workspace folders (any file when there are none). */
  inWorkspace(uri: string): boolean {
    if (!uri.startsWith('file:')) return false;
    if (this.folders.length === 0) return true;
    try {
      return this.inFolders(fileURLToPath(uri));
    } catch {
      return false;
    }
  }

  /** The file on disk is indexed again (after a save, a close, or a watched change). */
  async refreshFromDisk(uri: string): Promise<void> {
    const key = normalizeUri(uri);
    if (!key.startsWith('file:') || !key.endsWith('.nix')) return;
    const path = fileURLToPath(key);
    if (!this.inFolders(path)) {
      this.remove(key);
      return;
    }
    if (await this.indexFile(path, true)) this.changed([key]);
  }

  /** The file was deleted. */
  remove(uri: string): void {
    const key = normalizeUri(uri);
    const known = this.files.get(key);
    if (!known) return;
    this.options.remove(key, known.declarations.options);
    this.forgetNames(key, known.declarations);
    if (known.declarations.options.length) this.optionsGeneration++;
    this.files.delete(key);
    this.changed([key]);
  }

  dispose(): void {
    this.scanGeneration++;
    this.host.extraction.dispose();
  }

  private inFolders(path: string): boolean {
    return this.folders.some((folder) => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep));
  }

  private async scan(generation: number): Promise<void> {
    const started = Date.now();
    const cancelled = () => generation !== this.scanGeneration;
    this.scanState = { state: 'scanning', done: 0, total: 0 };
    const { files, truncated } = await nixFilesIn(this.folders, { maxFiles: MAX_INDEXED_FILES }, cancelled);
    if (truncated) this.host.log?.(`workspace index: more than ${MAX_INDEXED_FILES} .nix files, the rest are not indexed`);
    // Files indexed before that are no longer there (a new folder set) are dropped.
    const wanted = new Set(files.map((path) => pathToFileURL(path).href));
    const changed: string[] = [];
    for (const [uri, file] of this.files) {
      if (!wanted.has(uri) && !file.fromEditor) {
        this.options.remove(uri, file.declarations.options);
        this.forgetNames(uri, file.declarations);
        if (file.declarations.options.length) this.optionsGeneration++;
        this.files.delete(uri);
        changed.push(uri);
      }
    }
    let sliceStart = Date.now();
    for (let i = 0; i < files.length; i++) {
      if (cancelled()) return;
      this.scanState = { state: 'scanning', done: i, total: files.length };
      if (await this.indexFile(files[i]!, false)) changed.push(pathToFileURL(files[i]!).href);
      if (Date.now() - sliceStart >= SLICE_MS) {
        if (changed.length) this.changed(changed.splice(0));
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = Date.now();
      }
    }
    if (changed.length) this.changed(changed);
    this.scanState = { state: 'ready', files: this.files.size, truncated, ms: Date.now() - started };
    this.host.log?.(`workspace index: ${this.files.size} files, ${this.options.size} declared options, in ${Date.now() - started} ms`);
  }

  /** Reads and indexes one file; false when nothing changed (an open document wins over the disk). */
  private async indexFile(path: string, replaceEditor: boolean): Promise<boolean> {
    const uri = pathToFileURL(path).href;
    if (!replaceEditor && this.files.get(uri)?.fromEditor) return false;
    let declarations: FileDeclarations | undefined;
    try {
      declarations = await this.host.extraction.extract(path, this.host.maxFileSize());
    } catch (error) {
      this.host.log?.(`workspace index: ${path} could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!declarations) {
      // Gone, too large or unreadable: whatever was known of it no longer holds.
      if (this.files.has(uri) && !this.files.get(uri)!.fromEditor) this.remove(uri);
      return false;
    }
    if (!replaceEditor && this.files.get(uri)?.fromEditor) return false;
    this.store(uri, declarations, false);
    return true;
  }

  private store(uri: string, declarations: FileDeclarations, fromEditor: boolean): void {
    const previous = this.files.get(uri);
    if (previous) this.options.remove(uri, previous.declarations.options);
    if (previous) this.forgetNames(uri, previous.declarations);
    this.shareParts(declarations);
    for (const name of declarations.optionNames) {
      const last = name.path[name.path.length - 1]!;
      let byFile = this.namesByLast.get(last);
      if (!byFile) this.namesByLast.set(last, (byFile = new Map()));
      let names = byFile.get(uri);
      if (!names) byFile.set(uri, (names = []));
      names.push(name);
    }
    if (optionsSignature(previous?.declarations) !== optionsSignature(declarations)) this.optionsGeneration++;
    this.options.add(uri, declarations.options);
    this.files.set(uri, { uri, declarations, fromEditor });
  }

  /** Replaces equal path parts, and equal paths within the file, by one shared copy. */
  private shareParts(declarations: FileDeclarations): void {
    const paths = new Map<string, string[]>();
    const share = (path: string[]): string[] => {
      const key = path.join('\u0000');
      let shared = paths.get(key);
      if (!shared) {
        shared = path.map((part) => {
          let known = this.parts.get(part);
          if (known === undefined) this.parts.set(part, (known = part));
          return known;
        });
        paths.set(key, shared);
      }
      return shared;
    };
    for (const name of declarations.optionNames) name.path = share(name.path);
    for (const option of declarations.options) option.path = share(option.path);
  }

  private forgetNames(uri: string, declarations: FileDeclarations): void {
    for (const name of declarations.optionNames) {
      const last = name.path[name.path.length - 1]!;
      const byFile = this.namesByLast.get(last);
      if (!byFile?.delete(uri)) continue;
      if (byFile.size === 0) this.namesByLast.delete(last);
    }
  }

  private changed(uris: readonly string[]): void {
    this.host.onChange?.(uris);
  }
}

/** What of a file's declared options diagnostics depend on. */
function optionsSignature(declarations: FileDeclarations | undefined): string {
  return declarations?.options.map((o) => `${o.path.join('.')}:${o.type ?? ''}`).join('\n') ?? '';
}
