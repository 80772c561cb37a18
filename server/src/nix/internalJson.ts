// Reads Nix's `--log-format internal-json` stream: every line on stderr is either `@nix {json}`
// (an activity starting or stopping, a result of an activity, or a message) or plain text that
// some part of Nix (or a wrapper around it) wrote directly. Nothing is dropped: a line that is not
// valid JSON comes back as text.
import { StringDecoder } from 'node:string_decoder';

/** Activity types, as numbered in Nix's `logging.hh` (stable since Nix 2.0; 112 appeared later). */
export const ActivityType = {
  Unknown: 0,
  CopyPath: 100,
  FileTransfer: 101,
  Realise: 102,
  CopyPaths: 103,
  Builds: 104,
  Build: 105,
  OptimiseStore: 106,
  VerifyPaths: 107,
  Substitute: 108,
  QueryPathInfo: 109,
  PostBuildHook: 110,
  BuildWaiting: 111,
  FetchTree: 112,
} as const;

/** Result types, as numbered in Nix's `logging.hh`. */
export const ResultType = {
  FileLinked: 100,
  BuildLogLine: 101,
  UntrustedPath: 102,
  CorruptedPath: 103,
  SetPhase: 104,
  Progress: 105,
  SetExpected: 106,
  PostBuildLogLine: 107,
  FetchStatus: 108,
} as const;

/** Message levels (Nix's `Verbosity`): lower is more important. */
export const Verbosity = {
  Error: 0,
  Warn: 1,
  Notice: 2,
  Info: 3,
  Talkative: 4,
  Chatty: 5,
  Debug: 6,
  Vomit: 7,
} as const;

export type LogField = string | number;

/**
 * Activity ids are `(pid << 32) + counter`, which exceeds 2^53 for large pids, so they are kept as
 * the decimal strings Nix printed rather than as (rounded, possibly colliding) numbers.
 */
export type ActivityId = string;

export interface StartEvent {
  action: 'start';
  id: ActivityId;
  type: number;
  level: number;
  text: string;
  parent: ActivityId;
  fields: LogField[];
}

export interface StopEvent {
  action: 'stop';
  id: ActivityId;
}

export interface ResultEvent {
  action: 'result';
  id: ActivityId;
  type: number;
  fields: LogField[];
}

/** A position Nix attached to an error or to one frame of its trace. */
export interface NixPosition {
  /** A path, or a pseudo-file like `«string»` or `<nix/derivation-internal.nix>`. */
  file: string;
  /** 1-based, as Nix counts. */
  line: number;
  column: number;
}

export interface TraceFrame {
  /** The frame's text with colours, e.g. `while evaluating the attribute 'deps'`. */
  rawMessage: string;
  position?: NixPosition;
}

export interface LogMessageEvent {
  action: 'msg';
  level: number;
  /** The message as Nix would print it (may contain ANSI colours and a code frame). */
  msg: string;
  /** For errors: the message without the trace and code frame. */
  rawMessage?: string;
  position?: NixPosition;
  /** For errors with `--show-trace`: frames, innermost first. */
  trace: TraceFrame[];
}

/** A stderr line that was not an `@nix` JSON record. */
export interface TextEvent {
  action: 'text';
  text: string;
}

export type NixLogEvent = StartEvent | StopEvent | ResultEvent | LogMessageEvent | TextEvent;

const PREFIX = '@nix ';

/** Parses one stderr line (without its newline). */
export function parseNixLogLine(line: string): NixLogEvent {
  if (!line.startsWith(PREFIX)) return { action: 'text', text: line };
  const json = line.slice(PREFIX.length);
  let value: unknown;
  try {
    // Quote ids before parsing so JSON.parse cannot round them (see ActivityId). A quote inside a
    // JSON string is always escaped, so this pattern only meets real keys.
    value = JSON.parse(json.replace(/"(id|parent)":(\d+)/g, '"$1":"$2"'));
  } catch {
    return { action: 'text', text: line };
  }
  if (!isRecord(value)) return { action: 'text', text: line };
  switch (value.action) {
    case 'start':
      return {
        action: 'start',
        id: idOf(value.id),
        type: numberOf(value.type),
        level: numberOf(value.level),
        text: typeof value.text === 'string' ? value.text : '',
        parent: idOf(value.parent),
        fields: fieldsOf(value.fields),
      };
    case 'stop':
      return { action: 'stop', id: idOf(value.id) };
    case 'result':
      return { action: 'result', id: idOf(value.id), type: numberOf(value.type), fields: fieldsOf(value.fields) };
    case 'msg':
      return {
        action: 'msg',
        level: numberOf(value.level),
        msg: typeof value.msg === 'string' ? value.msg : '',
        rawMessage: typeof value.raw_msg === 'string' ? value.raw_msg : undefined,
        position: positionOf(value),
        trace: Array.isArray(value.trace)
          ? value.trace.filter(isRecord).map((frame) => ({
              rawMessage: typeof frame.raw_msg === 'string' ? frame.raw_msg : '',
              position: positionOf(frame),
            }))
          : [],
      };
    default:
      return { action: 'text', text: line };
  }
}

/**
 * Splits a byte stream into lines and parses each; keeps a partial last line until the next chunk
 * (or `end`). UTF-8 sequences split across chunks are reassembled.
 */
export class NixLogStreamParser {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly onEvent: (event: NixLogEvent) => void) {}

  write(chunk: Buffer | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let newline = this.pending.indexOf('\n');
    while (newline !== -1) {
      const line = this.pending.slice(0, newline).replace(/\r$/, '');
      this.pending = this.pending.slice(newline + 1);
      this.onEvent(parseNixLogLine(line));
      newline = this.pending.indexOf('\n');
    }
  }

  /** Flushes a last line that had no newline. */
  end(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0) {
      const line = this.pending;
      this.pending = '';
      this.onEvent(parseNixLogLine(line));
    }
  }
}

/** Parses a whole recorded stream (tests, or output collected after the fact). */
export function parseNixLog(text: string): NixLogEvent[] {
  const events: NixLogEvent[] = [];
  const parser = new NixLogStreamParser((event) => events.push(event));
  parser.write(text);
  parser.end();
  return events;
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(value: unknown): ActivityId {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '0';
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0) || 0;
}

function fieldsOf(value: unknown): LogField[] {
  if (!Array.isArray(value)) return [];
  return value.filter((field): field is LogField => typeof field === 'string' || typeof field === 'number');
}

function positionOf(value: Record<string, unknown>): NixPosition | undefined {
  if (typeof value.file !== 'string' || typeof value.line !== 'number' || value.line <= 0) return undefined;
  const line = value.line;
  const column = typeof value.column === 'number' ? value.column : 0;
  // Nix 2.8 prints the bare path; newer versions print `path:line:column` in the same field.
  const suffix = `:${line}:${column}`;
  const file = value.file.endsWith(suffix) ? value.file.slice(0, -suffix.length) : value.file;
  return { file, line, column };
}
