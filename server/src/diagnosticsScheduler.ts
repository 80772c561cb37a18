// Computes diagnostics off the typing path: each edit restarts a per-document timer, and a result
// is published only if the document has not changed since it was computed — a stale answer never
// overwrites a newer one.
import type { Diagnostic } from 'vscode-languageserver-types';

export interface DiagnosticsTarget {
  readonly uri: string;
  readonly version: number;
}

export interface DiagnosticsSchedulerOptions<D extends DiagnosticsTarget> {
  delayMs: () => number;
  /** Looks the document up again when the timer fires; undefined if it was closed meanwhile. */
  current: (uri: string) => D | undefined;
  compute: (document: D) => Diagnostic[] | Promise<Diagnostic[]>;
  publish: (uri: string, version: number, diagnostics: Diagnostic[]) => void;
  onError: (uri: string, error: unknown) => void;
}

export class DiagnosticsScheduler<D extends DiagnosticsTarget> {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: DiagnosticsSchedulerOptions<D>) {}

  /** Diagnostics for this document soon; `immediately` for a document just opened. */
  schedule(uri: string, immediately = false): void {
    clearTimeout(this.timers.get(uri));
    const timer = setTimeout(() => void this.run(uri), immediately ? 0 : this.options.delayMs());
    this.timers.set(uri, timer);
  }

  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async run(uri: string): Promise<void> {
    this.timers.delete(uri);
    const document = this.options.current(uri);
    if (!document) return;
    const version = document.version;
    try {
      const diagnostics = await this.options.compute(document);
      const now = this.options.current(uri);
      if (now && now.version === version && !this.timers.has(uri)) this.options.publish(uri, version, diagnostics);
    } catch (error) {
      this.options.onError(uri, error);
    }
  }
}
