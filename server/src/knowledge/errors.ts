// Errors the knowledge layer reports to users. Each says what went wrong and where, so a broken
// packages file or a failing download can be fixed without reading logs.

/** Input that cannot be indexed: invalid or truncated JSON, an unexpected shape. */
export class KnowledgeInputError extends Error {
  override readonly name = 'KnowledgeInputError';
  constructor(
    message: string,
    /** Byte offset in the (decompressed) input, when known. */
    readonly offset?: number,
    /** The package or option key being read, when known. */
    readonly key?: string,
  ) {
    super(message);
  }
}

/** A download that failed: HTTP status, network error, refused redirect, body cut short. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A local Nix evaluation that could not produce an index. */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
  constructor(
    message: string,
    /** The last lines Nix wrote to standard error. */
    readonly stderrTail = '',
  ) {
    super(message);
  }
}

/** Thrown when a refresh was cancelled (settings changed, server shutting down). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
