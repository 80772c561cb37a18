// Builds an index file from a stream of JSON bytes: the scanner finds each record, the converter
// keeps what matters, and the sorted result is written atomically.
//
// What happens to bad input:
// - A dangling value inside a record (Nix 2.8 writes `"homepage": }` when `meta.homepage`
//   throws): the record is kept without that attribute, and a warning names it. Users want the
//   package that failed to describe itself fully rather than no package.
// - A record that is dangling as a whole (`"pkg": }`) or whose bytes are not JSON even after
//   mending: that one record is skipped with a warning (key and byte offset).
// - Input that stops early (a download cut short, nix-env killed) or that is not a JSON object of
//   records at all: the whole build fails with the byte offset, and no file is written, so the
//   previous good index stays in place.
import { CancelledError, KnowledgeInputError } from './errors';
import { IndexContent } from './indexContent';
import { writeIndexFile, type IndexHeader, type IndexHeaderInput, type SourceIdentity } from './indexFile';
import { JsonMemberScanner } from './jsonMemberScanner';
import type { RecordConverter } from './recordConverters';
import { trimPrettyRecord } from './prettyTrim';
import { parseRecordJson, type ParsedRecord } from './recordJson';

/** How many warnings the index header keeps (all are counted). */
const KEPT_WARNINGS = 20;

export interface BuildOptions {
  converter: RecordConverter;
  /** Where the index file goes. */
  output: string;
  identity: SourceIdentity;
  revision?: string;
  signal?: AbortSignal;
  /**
   * Called once the input has ended cleanly, before anything is written: throw to abandon the
   * build (e.g. the producing process exited with an error).
   */
  beforeCommit?: () => Promise<void>;
  /** Decompressed bytes read so far. */
  onBytes?: (bytes: number) => void;
  /** Receives each warning as it happens. */
  onWarning?: (warning: string) => void;
  now?: () => number;
}

export interface BuildResult {
  header: IndexHeader;
  warnings: string[];
}

/** Collects entries from the JSON byte stream; exported for tests that check records in memory. */
export class EntryCollector {
  readonly content: IndexContent;
  readonly warnings: string[] = [];
  warningCount = 0;
  readonly scanner: JsonMemberScanner;

  constructor(
    private readonly converter: RecordConverter,
    private readonly onWarning?: (warning: string) => void,
  ) {
    this.content = new IndexContent(converter.sharedFields);
    this.scanner = new JsonMemberScanner(
      {
        member: (key, value, offset, nested) => this.member(key, value, offset, nested),
        prettyValue: (key, chunk, start, offset, _nested, indent) => this.prettyValue(key, chunk, start, offset, indent),
        dangling: (key, offset) => this.warn(`${converter.noun} "${key}" at byte ${offset} has no value (its evaluation failed); skipped`),
      },
      converter.scanner,
    );
  }

  private warn(message: string): void {
    this.warningCount++;
    if (this.warnings.length < KEPT_WARNINGS) this.warnings.push(message);
    this.onWarning?.(message);
  }

  /**
   * A pretty-printed record: trimmed and parsed in one walk when the converter trims, else
   * delimited by its closing line; -1 sends it back to be delimited exactly (see the scanner).
   */
  private prettyValue(key: string, chunk: Buffer, start: number, offset: number, indent: number): number {
    const trim = this.converter.trim;
    if (trim) {
      const trimmed = trimPrettyRecord(chunk, start, indent, trim);
      if (!trimmed) return -1;
      let value: unknown;
      try {
        value = JSON.parse(trimmed.text);
      } catch {
        return -1;
      }
      this.accept(key, { value, dangling: [] }, offset, trimmed.extracted);
      return trimmed.end;
    }
    const end = chunk.indexOf(closingLine(indent), start + 1);
    if (end < 0) return -1;
    const stop = end + indent + 2;
    let value: unknown;
    try {
      value = JSON.parse(chunk.toString('utf8', start, stop));
    } catch {
      return -1;
    }
    this.accept(key, { value, dangling: [] }, offset, undefined);
    return stop;
  }

  private member(key: string, value: Buffer, offset: number, nested: boolean): void {
    // Records are objects; a scalar beside the wrapper (`"version": "2"`) is metadata.
    if (value[0] !== 0x7b) {
      if (nested) this.warn(`${this.converter.noun} "${key}" at byte ${offset} is not an object; skipped`);
      return;
    }
    let parsed: ParsedRecord;
    try {
      parsed = parseRecordJson(value);
    } catch (error) {
      this.warn(`${this.converter.noun} "${key}" at byte ${offset} is not valid JSON (${(error as Error).message}); skipped`);
      return;
    }
    this.accept(key, parsed, offset, undefined);
  }

  private accept(key: string, parsed: ParsedRecord, offset: number, extracted: Record<string, string> | undefined): void {
    if (parsed.dangling.length) {
      this.warn(`${this.converter.noun} "${key}": ${parsed.dangling.join(', ')} could not be evaluated; left out`);
    }
    const converted = this.converter.convert(key, parsed.value as Record<string, unknown>, extracted);
    if (typeof converted === 'string') {
      this.warn(`${this.converter.noun} "${key}" at byte ${offset}: ${converted}; skipped`);
      return;
    }
    this.content.add(converted.path, converted.record as Record<string, unknown>);
  }
}

const closingLines = new Map<number, Buffer>();

/** `\n`, `indent` spaces and `}`: where a pretty-printed object whose key had that indent ends. */
function closingLine(indent: number): Buffer {
  let line = closingLines.get(indent);
  if (!line) {
    line = Buffer.from(`\n${' '.repeat(indent)}}`, 'latin1');
    closingLines.set(indent, line);
  }
  return line;
}

export async function buildIndex(chunks: AsyncIterable<Buffer>, options: BuildOptions): Promise<BuildResult> {
  const collector = new EntryCollector(options.converter, options.onWarning);
  const { scanner } = collector;
  let bytes = 0;
  for await (const chunk of chunks) {
    if (options.signal?.aborted) throw new CancelledError();
    scanner.push(chunk);
    bytes += chunk.length;
    options.onBytes?.(bytes);
  }
  if (options.signal?.aborted) throw new CancelledError();
  scanner.end();
  if (collector.content.size === 0) {
    throw new KnowledgeInputError(`no ${options.converter.noun} records found (${bytes} bytes read)`, bytes);
  }
  await options.beforeCommit?.();
  if (options.signal?.aborted) throw new CancelledError();
  const header: IndexHeaderInput = {
    kind: options.converter.kind,
    identity: options.identity,
    builtAt: (options.now ?? Date.now)(),
    revision: options.revision,
    warnings: collector.warnings,
    warningCount: collector.warningCount,
  };
  const written = writeIndexFile(options.output, header, collector.content);
  const warnings = [...collector.warnings];
  const { duplicates } = written;
  if (duplicates.length) warnings.push(`${duplicates.length} repeated ${options.converter.noun} names kept once (e.g. ${duplicates[0]})`);
  return { header: written.header, warnings };
}
