// Keeps the workspace index in step with the editor: scans the workspace folders when the server
// starts, indexes open documents from their current text (a short while after typing stops, and
// at once when a request needs it), and re-reads files from disk when they are saved, closed,
// created, changed or deleted outside the editor. When the options the workspace declares change,
// open documents get their diagnostics again (the unknown-option check depends on them).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { FileEvent } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import type { Analysis } from './analysis/analysis';
import { heapFlags } from './heapTuning';
import { analyzeTree } from './analysis/analysis';
import type { BuiltinsTable } from './analysis/builtins';
import { fileDeclarations, NO_DECLARATIONS, type FileDeclarations } from './analysis/fileDeclarations';
import { WorkspaceSymbols } from './features/workspaceSymbols';
import type { NixDocument } from './syntax/document';
import { parseNix } from './syntax/grammarText';
import { inThreadExtraction, workerExtraction, type FileExtraction } from './workspace/fileExtraction';
import { WorkspaceIndex } from './workspace/workspaceIndex';

export interface WorkspaceSyncOptions {
  parser: Parser;
  builtins(): BuiltinsTable;
  maxFileSize(): number;
  /** The open document's analysis (cached per version by the server). */
  analysisOf(document: NixDocument): Analysis;
  /** The open document (within the size limit), if it is open. */
  openDocument(uri: string): NixDocument | undefined;
  /** The declared options changed: diagnostics that depend on them are due again. */
  optionsChanged(): void;
  log(message: string): void;
  /** The worker script to parse files in; by default dist/workspaceIndexWorker.js beside the server, '' for none. */
  workerScript?: string;
}

/** How long after the last keystroke an open document is indexed again. */
const EDIT_DELAY_MS = 300;
/**
 * Open documents longer than this (in characters) are not re-read in the worker after typing: the
 * worker's own parse and analysis of such a file is tens of megabytes on top of what the server
 * holds for it, at the same moment. Their entry is brought up to date from the server's analysis
 * when a request needs it (`declarationsOf`) and when they are saved. Only generated files (package
 * sets, hash lists) are this long.
 */
export const WORKER_TEXT_LIMIT = 200_000;
/**
 * Open documents up to this long (in characters) are indexed from the server's own analysis of
 * them, which their diagnostics need anyway: well under a millisecond, where handing the text to
 * the worker thread would have it parse and analyse the file again — and start the thread again,
 * a new V8 heap and WebAssembly module, if it had ended while idle — on the other core, while the
 * user types on.
 */
export const IN_THREAD_TEXT_LIMIT = 30_000;
/** How long option changes are gathered before open documents are checked again. */
const OPTIONS_CHANGED_DELAY_MS = 200;

export class WorkspaceSync {
  readonly index: WorkspaceIndex;
  readonly symbols: WorkspaceSymbols;
  /** Reads files (and open documents' text) in the worker thread when there is one. */
  private readonly files: FileExtraction;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly indexedVersions = new Map<string, { version: number; declarations: FileDeclarations }>();
  private optionsTimer: NodeJS.Timeout | undefined;
  private seenOptions = 0;

  constructor(private readonly host: WorkspaceSyncOptions) {
    this.files = this.extraction();
    this.index = new WorkspaceIndex({
      extraction: this.files,
      maxFileSize: host.maxFileSize,
      onChange: (uris) => {
        // Symbols are listed as files arrive, so the first workspace/symbol need not list them all.
        this.symbols.prepare(uris.flatMap((uri) => this.index.get(uri) ?? []));
        this.noteChange();
      },
      log: host.log,
    });
    this.symbols = new WorkspaceSymbols(this.index);
  }

  start(folders: readonly string[]): void {
    // Option diagnostics wait for the scan (see workspaceOptions.ts): they are due when it ends.
    void this.index.setFolders(folders).then(() => this.host.optionsChanged());
  }

  /**
   * An open document changed (or opened): index it once typing pauses — a longer one read in the
   * worker thread (a large file's declarations take tens of milliseconds to read from its
   * analysis), a short one from its analysis here. A request that needs them before that reads
   * them here (`declarationsOf`).
   */
  documentChanged(uri: string): void {
    clearTimeout(this.pending.get(uri));
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      const document = this.host.openDocument(uri);
      if (!document || document.length > WORKER_TEXT_LIMIT || !this.index.inWorkspace(uri)) return;
      if (document.length <= IN_THREAD_TEXT_LIMIT) {
        this.declarationsOf(document);
        return;
      }
      const version = document.version;
      void this.files.extractText(document.content, uri, this.host.maxFileSize()).then((declarations) => {
        const current = this.host.openDocument(uri);
        if (!declarations || current !== document || document.version !== version) return;
        if (this.indexedVersions.get(uri)?.version === version) return;
        this.indexedVersions.set(uri, { version, declarations });
        this.index.setFromEditor(uri, declarations);
      });
    }, EDIT_DELAY_MS);
    timer.unref?.();
    this.pending.set(uri, timer);
  }

  /** A document was closed: the file on disk is what counts again. */
  documentClosed(uri: string): void {
    clearTimeout(this.pending.get(uri));
    this.pending.delete(uri);
    this.indexedVersions.delete(uri);
    void this.index.refreshFromDisk(uri);
  }

  watchedFilesChanged(changes: readonly FileEvent[]): void {
    for (const change of changes) {
      if (!change.uri.endsWith('.nix')) continue;
      if (change.type === FileChangeType.Deleted) this.index.remove(change.uri);
      else if (!this.host.openDocument(change.uri)) void this.index.refreshFromDisk(change.uri);
    }
  }

  /** What an open document declares now, indexed before it is returned (requests see the current text). */
  declarationsOf(document: NixDocument): FileDeclarations {
    const known = this.indexedVersions.get(document.uri);
    if (known && known.version === document.version) return known.declarations;
    let declarations = NO_DECLARATIONS;
    try {
      declarations = fileDeclarations(this.host.analysisOf(document), document.uri);
    } catch (error) {
      this.host.log(`workspace index: ${document.uri}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.indexedVersions.set(document.uri, { version: document.version, declarations });
    this.index.setFromEditor(document.uri, declarations);
    return declarations;
  }

  /** Brings every open document's entry up to date (before a question about the whole workspace). */
  refreshOpenDocuments(documents: readonly NixDocument[]): void {
    for (const document of documents) if (this.host.openDocument(document.uri)) this.declarationsOf(document);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    clearTimeout(this.optionsTimer);
    this.index.dispose();
  }

  /**
   * In the bundled server files are parsed in a worker thread (dist/workspaceIndexWorker.js beside
   * dist/server.js); running from sources, in this thread.
   */
  private extraction(): FileExtraction {
    const script = this.host.workerScript ?? (typeof __dirname === 'string' ? join(__dirname, 'workspaceIndexWorker.js') : undefined);
    if (script && existsSync(script)) return workerExtraction(script, this.host.log, { v8Flags: heapFlags() });
    return inThreadExtraction((text, fileName) => this.extract(text, fileName));
  }

  private extract(text: string, fileName: string): FileDeclarations | undefined {
    const tree = parseNix(this.host.parser, text);
    if (!tree) return undefined;
    try {
      return fileDeclarations(analyzeTree(tree, text, { builtins: this.host.builtins(), maxAnalysisSize: this.host.maxFileSize() }), fileName);
    } finally {
      tree.delete();
    }
  }

  /** Declared options may have changed: check open documents again, once the changes settle. */
  private noteChange(): void {
    if (this.index.optionsGeneration === this.seenOptions) return;
    this.seenOptions = this.index.optionsGeneration;
    clearTimeout(this.optionsTimer);
    this.optionsTimer = setTimeout(() => this.host.optionsChanged(), OPTIONS_CHANGED_DELAY_MS);
    this.optionsTimer.unref?.();
  }
}
