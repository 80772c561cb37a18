// Which open documents get tree-based features: not one over `nixNur.maxFileSize`, and not one
// whose parse takes too long (see `syntax/boundedParse.ts`). Either way the user is told once per
// document, visibly — a file that silently gets no diagnostics looks like a file without problems.
//
// It also bounds memory: a parsed 0.8 MB file holds about 25 MB of tree in tree-sitter's
// WebAssembly memory and as much again of analysis, so with several of nixpkgs' largest files
// open the server grew past 300 MB. Trees and analyses are kept for the documents used most
// recently, up to PARSED_TEXT_BUDGET characters together (the one in use always); the others are
// parsed again when next needed — a fifth of a second for the largest.
import { collectAroundLargeDocument } from './garbageCollection';
import { parseBudgetMs } from './syntax/boundedParse';
import type { NixDocument } from './syntax/document';

export type UnanalysedReason = 'too large' | 'too slow to parse';

/** Characters of text whose trees and analyses are kept at once, over all open documents. */
export const PARSED_TEXT_BUDGET = 1_000_000;

export class AnalysableDocuments {
  /** Documents already reported, with what was said about them. */
  private readonly reported = new Map<string, UnanalysedReason>();
  /** Documents holding a tree, least recently used first. */
  private readonly parsed = new Map<string, NixDocument>();

  constructor(
    private readonly maxFileSize: () => number,
    private readonly tell: (message: string) => void,
    /** A document's tree was released: drop what was derived from it (its analysis). */
    private readonly released: (uri: string) => void = () => undefined,
    private readonly budget = PARSED_TEXT_BUDGET,
  ) {}

  /**
   * The document if it may be analysed, its tree parsed. `retry` tries again a document whose
   * earlier parse was given up (the diagnostics run does; requests answer at once instead).
   */
  check(document: NixDocument | undefined, retry = false): NixDocument | undefined {
    if (!document) return undefined;
    const limit = this.maxFileSize();
    if (document.length > limit) {
      this.report(document.uri, 'too large', `${fileName(document.uri)} is not analysed: it has ${document.length.toLocaleString('en')} characters, more than nixNur.maxFileSize (${limit.toLocaleString('en')}).`);
      return undefined;
    }
    // Room first: a tree parsed while the old ones are still held would grow the WebAssembly
    // memory, which never shrinks again.
    if (!document.holdsTree) this.releaseBeyondBudget(document, document.length);
    if (!document.treeWithin(parseBudgetMs(document.length), retry)) {
      this.report(
        document.uri,
        'too slow to parse',
        `${fileName(document.uri)} is not analysed: parsing it takes too long (a long run of characters without spaces, such as \`a.b.c…\` thousands deep, or thousands of unclosed brackets). It is tried again after the next edit.`,
      );
      return undefined;
    }
    if (this.reported.get(document.uri) === 'too slow to parse') this.reported.delete(document.uri);
    this.parsed.delete(document.uri);
    this.parsed.set(document.uri, document);
    this.releaseBeyondBudget(document);
    collectAroundLargeDocument(document.length);
    return document;
  }

  forget(uri: string): void {
    this.reported.delete(uri);
    this.parsed.delete(uri);
  }

  /** Releases the least recently used documents' trees until the rest (and `more`) fit the budget. */
  private releaseBeyondBudget(inUse: NixDocument, more = 0): void {
    let total = more;
    for (const document of this.parsed.values()) total += document.holdsTree ? document.length : 0;
    for (const [uri, document] of this.parsed) {
      if (total <= this.budget) break;
      if (document === inUse) continue;
      total -= document.holdsTree ? document.length : 0;
      this.parsed.delete(uri);
      document.releaseTree();
      this.released(uri);
    }
  }

  private report(uri: string, reason: UnanalysedReason, message: string): void {
    if (this.reported.get(uri) === reason) return;
    this.reported.set(uri, reason);
    this.tell(message);
  }
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)) || uri;
}
