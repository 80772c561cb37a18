// The open documents, by URI. Owns the parser and every tree, so closing a document frees its
// wasm memory.
import type { Parser } from 'web-tree-sitter';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { NixDocument } from './document';

export class DocumentStore {
  private readonly documents = new Map<string, NixDocument>();

  constructor(private readonly parser: Parser) {}

  open(uri: string, version: number, text: string): NixDocument {
    this.documents.get(uri)?.dispose();
    const document = new NixDocument(uri, version, text, this.parser);
    this.documents.set(uri, document);
    return document;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): NixDocument | undefined {
    const document = this.documents.get(uri);
    document?.update(changes, version);
    return document;
  }

  close(uri: string): void {
    this.documents.get(uri)?.dispose();
    this.documents.delete(uri);
  }

  get(uri: string): NixDocument | undefined {
    return this.documents.get(uri);
  }

  /** The open document for a file path, if any. */
  byPath(path: string): NixDocument | undefined {
    return this.documents.get(pathToFileURL(path).href);
  }

  all(): NixDocument[] {
    return [...this.documents.values()];
  }

  dispose(): void {
    for (const document of this.documents.values()) document.dispose();
    this.documents.clear();
  }
}
