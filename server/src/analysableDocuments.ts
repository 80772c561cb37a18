// Which open documents get tree-based features: not one over `nixNur.maxFileSize`, and not one
// whose parse takes too long (see `syntax/boundedParse.ts`). Either way the user is told once per
// document, visibly — a file that silently gets no diagnostics looks like a file without problems.
import { parseBudgetMs } from './syntax/boundedParse';
import type { NixDocument } from './syntax/document';

export type UnanalysedReason = 'too large' | 'too slow to parse';

export class AnalysableDocuments {
  /** Documents already reported, with what was said about them. */
  private readonly reported = new Map<string, UnanalysedReason>();

  constructor(
    private readonly maxFileSize: () => number,
    private readonly tell: (message: string) => void,
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
    if (!document.treeWithin(parseBudgetMs(document.length), retry)) {
      this.report(
        document.uri,
        'too slow to parse',
        `${fileName(document.uri)} is not analysed: parsing it takes too long (a long run of characters without spaces, such as \`a.b.c…\` thousands deep, or thousands of unclosed brackets). It is tried again after the next edit.`,
      );
      return undefined;
    }
    if (this.reported.get(document.uri) === 'too slow to parse') this.reported.delete(document.uri);
    return document;
  }

  forget(uri: string): void {
    this.reported.delete(uri);
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
