// Diagnostics that come from runs rather than from a document's text — a build's evaluation
// error, a hash mismatch, a NUR check — kept by origin, so a new build replaces only what the
// previous build said, and merged with the text's own diagnostics when published.
import type { Diagnostic } from 'vscode-languageserver-types';

export interface FileDiagnostics {
  uri: string;
  diagnostics: Diagnostic[];
}

export class ExternalDiagnostics {
  private readonly byOrigin = new Map<string, Map<string, Diagnostic[]>>();

  /** Replaces everything `origin` said; returns every URI whose diagnostics changed. */
  replace(origin: string, files: FileDiagnostics[]): string[] {
    const previous = this.byOrigin.get(origin) ?? new Map<string, Diagnostic[]>();
    const next = new Map<string, Diagnostic[]>();
    for (const file of files) if (file.diagnostics.length > 0) next.set(file.uri, [...(next.get(file.uri) ?? []), ...file.diagnostics]);
    this.byOrigin.set(origin, next);
    return [...new Set([...previous.keys(), ...next.keys(), ...files.map((f) => f.uri)])];
  }

  /** What every origin says about a document. */
  forUri(uri: string): Diagnostic[] {
    const all: Diagnostic[] = [];
    for (const files of this.byOrigin.values()) all.push(...(files.get(uri) ?? []));
    return all;
  }
}
