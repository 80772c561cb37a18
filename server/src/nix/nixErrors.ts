// Understands the error messages `nix build` / `nix-build` print: evaluation errors with their
// positions, fixed-output hash mismatches and failed builders. Messages come from the
// internal-json stream (`msg` records of level 0), colours and all.
import { derivationName } from './buildActivity';
import { Verbosity, type LogMessageEvent, type NixLogEvent, type NixPosition } from './internalJson';
import { stripAnsi } from './ansi';

export interface NixError {
  /** The error without `error:`, trace or code frame, colours removed. */
  summary: string;
  /** Everything Nix printed for this error, colours removed. */
  text: string;
  /** Where the error is (evaluation errors), as Nix reported it. */
  position?: NixPosition;
  /** `--show-trace` frames, innermost first, colours removed. */
  trace: { message: string; position?: NixPosition }[];
}

export interface HashMismatch {
  /** The fixed-output derivation, `/nix/store/…-name.drv` (or its output path in very old Nix). */
  drvPath: string;
  /** Its name, e.g. `source` or `hello-2.12.tar.gz`. */
  drvName: string;
  /** The hash the derivation declared, as Nix printed it (SRI since Nix 2.4, `algo:base32` before). */
  specified: string;
  /** The hash of what was actually produced. */
  got: string;
}

export interface BuilderFailure {
  drvPath: string;
  drvName: string;
  exitCode?: number;
}

/** Errors are messages at level 0; other levels are warnings and information. */
export function isErrorMessage(event: NixLogEvent): event is LogMessageEvent {
  return event.action === 'msg' && event.level === Verbosity.Error;
}

export function nixErrorOf(event: LogMessageEvent): NixError {
  const text = stripAnsi(event.msg).trim();
  const summary = event.rawMessage !== undefined ? stripAnsi(event.rawMessage).trim() : summaryOfText(text);
  return {
    summary,
    text,
    position: event.position,
    trace: event.trace
      .map((frame) => ({ message: stripAnsi(frame.rawMessage).trim(), position: frame.position }))
      .filter((frame) => frame.message !== '' || frame.position !== undefined),
  };
}

/** Plain-text errors (no JSON) start with `error:`; the first paragraph is the summary. */
function summaryOfText(text: string): string {
  const withoutPrefix = text.replace(/^error:\s*/, '');
  return withoutPrefix.split(/\n\s*\n/, 1)[0].trim();
}

/** Positions written in a message as `at /path:line:col` (the code frames' headers). */
export function positionsInText(text: string): NixPosition[] {
  const found: NixPosition[] = [];
  for (const match of stripAnsi(text).matchAll(/(?:^|\s)at (\/\S+?):(\d+):(\d+)/gm)) {
    found.push({ file: match[1], line: Number(match[2]), column: Number(match[3]) });
  }
  return found;
}

/**
 * `hash mismatch in fixed-output derivation '…drv':\n specified: sha256-… got: sha256-…`
 * (Nix 2.4 onwards, including 2.8 and 2.26), `… wanted: sha256:… got: sha256:…` (Nix 2.2/2.3), and
 * `output path '…' has sha256 hash '…' when '…' was expected` (Nix 2.0/2.1).
 */
export function parseHashMismatch(message: string): HashMismatch | undefined {
  const text = stripAnsi(message);
  const current = /hash mismatch in fixed-output derivation '([^']+)':\s*(?:specified|wanted):\s*(\S+)\s+got:\s*(\S+)/.exec(text);
  if (current) return { drvPath: current[1], drvName: derivationName(current[1]), specified: current[2], got: current[3] };
  const oldest = /output path '([^']+)' has (\w+) hash '([^']+)' when '([^']+)' was expected/.exec(text);
  if (oldest) {
    const [, path, algorithm, got, specified] = oldest;
    return {
      drvPath: path,
      drvName: derivationName(path),
      specified: specified.includes(':') ? specified : `${algorithm}:${specified}`,
      got: got.includes(':') ? got : `${algorithm}:${got}`,
    };
  }
  return undefined;
}

/**
 * `builder for '…drv' failed with exit code 3` (Nix 2.8–2.26; before 2.4 followed by
 * `; last 10 log lines:`) and `Cannot build '…drv'. Reason: builder failed with exit code 3.`
 * (later versions).
 */
export function parseBuilderFailure(message: string): BuilderFailure | undefined {
  const text = stripAnsi(message);
  const match =
    /builder for '([^']+\.drv)' failed(?: with exit code (\d+))?/.exec(text) ??
    /Cannot build '([^']+\.drv)'\.\s*Reason: builder failed(?: with exit code (\d+))?/.exec(text);
  if (!match) return undefined;
  return { drvPath: match[1], drvName: derivationName(match[1]), exitCode: match[2] !== undefined ? Number(match[2]) : undefined };
}

/** Whether a position names a real file (not `«string»`, `(string)` or `<nix/…>`). */
export function isFilePosition(position: NixPosition | undefined): position is NixPosition {
  return !!position && position.file.startsWith('/') && position.line > 0;
}
