// The on-disk index: one file per source, written once and read lazily.
//
//   bytes 0–7     magic `NIXNURIX`
//   bytes 8–11    format version (u32, little-endian); another version means "rebuild"
//   bytes 12–15   header length H (u32)
//   16 … 16+H     header (JSON): kind, source identity, counts, warnings
//   (padding to a multiple of 4)
//   name offsets   u32 × (count + 1), into the names section
//   record offsets u32 × (count + 1), into the records section
//   shared offsets u32 × (sharedCount + 1), into the shared section
//   names          attribute paths, parts joined by NUL, sorted bytewise (see attrPath.ts)
//   records        one compact JSON text per name, same order
//   shared         compact JSON texts of values many records share (a license, a platform list,
//                  a team of maintainers); a record holds the value's number instead of the value
//                  for the fields the header lists as `sharedFields`
//
// Loading reads the header, the offsets and the names (a few MB for all of nixpkgs); a record is
// read from disk only when a hover or a completion item's documentation asks for it. Files are
// written to a temporary name and renamed into place, so a crash never leaves half an index.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import type { IndexContent } from './indexContent';
import { PathTable } from './pathTable';

export const INDEX_MAGIC = 'NIXNURIX';
/** Bump whenever the layout or a record's shape changes: older files are then rebuilt. */
export const INDEX_FORMAT_VERSION = 1;

export type IndexKind = 'packages' | 'options' | 'nur-repos' | 'nur-packages';

export type SourceOrigin = 'file' | 'url' | 'nix-eval';

/** What an index was built from; a source with the same identity needs no rebuild. */
export interface SourceIdentity {
  origin: SourceOrigin;
  /** The file path, the URL, or the pinned nixpkgs (e.g. `github:NixOS/nixpkgs/<rev>`). */
  location: string;
  // Files.
  size?: number;
  mtimeMs?: number;
  sha256?: string;
  // Downloads.
  etag?: string;
  lastModified?: string;
  /** Where the last redirect led (the channel's release directory). */
  finalUrl?: string;
  // Evaluations.
  rev?: string;
  narHash?: string;
}

export interface IndexHeader {
  kind: IndexKind;
  identity: SourceIdentity;
  count: number;
  /** When the index was built (ms since the epoch). */
  builtAt: number;
  /** The nixpkgs revision or branch that source links should point at, when known. */
  revision?: string;
  /** Problems met while building (skipped or mended records), the first few of them. */
  warnings: string[];
  warningCount: number;
  /** Record fields stored as a number into the shared section. */
  sharedFields: string[];
  sharedCount: number;
  namesBytes: number;
  recordsBytes: number;
  sharedBytes: number;
}

/** The header fields a builder chooses; the rest follow from the content. */
export type IndexHeaderInput = Omit<IndexHeader, 'count' | 'sharedFields' | 'sharedCount' | 'namesBytes' | 'recordsBytes' | 'sharedBytes'>;

/** The file is not a usable index: wrong magic, another format version, or cut short. */
export class IndexFormatError extends Error {
  override readonly name = 'IndexFormatError';
  constructor(
    message: string,
    readonly versionMismatch = false,
  ) {
    super(message);
  }
}

const PREFIX_BYTES = 16;
const littleEndian = endianness() === 'LE';
/** How far apart records may be and still be read in one go by `records` (a run is read whole). */
const RECORD_RUN_BYTES = 64 * 1024;

function align4(n: number): number {
  return (n + 3) & ~3;
}

export interface WrittenIndex {
  header: IndexHeader;
  /** Names that appeared more than once (only the first was kept), dotted. */
  duplicates: string[];
}

/** Writes the index atomically: to a temporary file, synced, then renamed over `path`. */
export function writeIndexFile(path: string, input: IndexHeaderInput, content: IndexContent): WrittenIndex {
  const { order, duplicates } = content.sortedOrder();
  const count = order.length;
  const nameOffsets = new Uint32Array(count + 1);
  const recordOffsets = new Uint32Array(count + 1);
  const nameBytes: Buffer[] = new Array(count);
  let namesBytes = 0;
  let recordsBytes = 0;
  for (let k = 0; k < count; k++) {
    const i = order[k];
    nameOffsets[k] = namesBytes;
    recordOffsets[k] = recordsBytes;
    nameBytes[k] = Buffer.from(content.nameOf(i), 'utf8');
    namesBytes += nameBytes[k].length;
    recordsBytes += content.recordBytes(i).length;
  }
  nameOffsets[count] = namesBytes;
  recordOffsets[count] = recordsBytes;
  const sharedTexts = content.shared.map((t) => Buffer.from(t, 'utf8'));
  const sharedOffsets = new Uint32Array(sharedTexts.length + 1);
  let sharedBytes = 0;
  sharedTexts.forEach((t, i) => {
    sharedOffsets[i] = sharedBytes;
    sharedBytes += t.length;
  });
  sharedOffsets[sharedTexts.length] = sharedBytes;
  if (recordsBytes > 0xffffffff || namesBytes > 0xffffffff || sharedBytes > 0xffffffff) throw new Error('index too large for the format');

  const header: IndexHeader = {
    ...input,
    count,
    sharedFields: [...content.sharedFields],
    sharedCount: sharedTexts.length,
    namesBytes,
    recordsBytes,
    sharedBytes,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align4(PREFIX_BYTES + headerBytes.length));
  prefix.write(INDEX_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(INDEX_FORMAT_VERSION, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(prefix, PREFIX_BYTES);

  fs.mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(temporary, 'w', 0o644);
  try {
    writeAll(fd, prefix);
    writeAll(fd, u32Bytes(nameOffsets));
    writeAll(fd, u32Bytes(recordOffsets));
    writeAll(fd, u32Bytes(sharedOffsets));
    writeBatched(fd, nameBytes);
    writeBatched(
      fd,
      order.map((i) => content.recordBytes(i)),
    );
    writeBatched(fd, sharedTexts);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temporary, path);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  return { header, duplicates };
}

function u32Bytes(values: Uint32Array): Buffer {
  if (littleEndian) return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeUInt32LE(values[i], i * 4);
  return bytes;
}

function writeAll(fd: number, bytes: Buffer): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

function writeBatched(fd: number, parts: Buffer[]): void {
  const batchLimit = 1 << 20;
  let batch: Buffer[] = [];
  let size = 0;
  for (const part of parts) {
    batch.push(part);
    size += part.length;
    if (size >= batchLimit) {
      writeAll(fd, Buffer.concat(batch, size));
      batch = [];
      size = 0;
    }
  }
  if (size > 0) writeAll(fd, Buffer.concat(batch, size));
}

/** Reads only the header (to compare identities without loading the index). */
export function readIndexHeader(path: string): IndexHeader {
  const fd = fs.openSync(path, 'r');
  try {
    return readHeaderFrom(fd, fs.fstatSync(fd).size).header;
  } finally {
    fs.closeSync(fd);
  }
}

function readHeaderFrom(fd: number, fileSize: number): { header: IndexHeader; dataStart: number } {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  if (fs.readSync(fd, prefix, 0, PREFIX_BYTES, 0) < PREFIX_BYTES || prefix.toString('latin1', 0, 8) !== INDEX_MAGIC) {
    throw new IndexFormatError('not an index file');
  }
  const version = prefix.readUInt32LE(8);
  if (version !== INDEX_FORMAT_VERSION) {
    throw new IndexFormatError(`index format ${version}, expected ${INDEX_FORMAT_VERSION}`, true);
  }
  const headerLength = prefix.readUInt32LE(12);
  if (PREFIX_BYTES + headerLength > fileSize) throw new IndexFormatError('index file is truncated');
  const headerBytes = Buffer.alloc(headerLength);
  fs.readSync(fd, headerBytes, 0, headerLength, PREFIX_BYTES);
  let header: IndexHeader;
  try {
    header = JSON.parse(headerBytes.toString('utf8')) as IndexHeader;
  } catch {
    throw new IndexFormatError('index header is not valid JSON');
  }
  const dataStart = align4(PREFIX_BYTES + headerLength);
  const expected = dataStart + (header.count + 1) * 8 + (header.sharedCount + 1) * 4 + header.namesBytes + header.recordsBytes + header.sharedBytes;
  if (expected !== fileSize) throw new IndexFormatError(`index file has ${fileSize} bytes, expected ${expected}`);
  return { header, dataStart };
}

/** A loaded index: names and offsets in memory, records on disk. */
export class IndexFile {
  private fd: number | undefined;
  /** Parsed shared values; frozen, because every record that uses one gets the same object. */
  private readonly sharedCache = new Map<number, unknown>();

  private constructor(
    readonly path: string,
    fd: number,
    readonly header: IndexHeader,
    readonly table: PathTable,
    private readonly recordOffsets: Uint32Array,
    private readonly sharedOffsets: Uint32Array,
    private readonly recordsStart: number,
  ) {
    this.fd = fd;
  }

  /** Opens and validates an index; throws IndexFormatError when it cannot be used. */
  static open(path: string): IndexFile {
    const fd = fs.openSync(path, 'r');
    try {
      const { header, dataStart } = readHeaderFrom(fd, fs.fstatSync(fd).size);
      const { count, sharedCount } = header;
      // One read for the offset tables and the names, into memory aligned for Uint32Array.
      const tables = (count + 1) * 8 + (sharedCount + 1) * 4;
      const length = tables + header.namesBytes;
      const memory = new ArrayBuffer(length);
      const bytes = new Uint8Array(memory);
      let done = 0;
      while (done < length) {
        const read = fs.readSync(fd, bytes, done, length - done, dataStart + done);
        if (read === 0) throw new IndexFormatError('index file is truncated');
        done += read;
      }
      const nameOffsets = readU32(memory, 0, count + 1);
      const recordOffsets = readU32(memory, (count + 1) * 4, count + 1);
      const sharedOffsets = readU32(memory, (count + 1) * 8, sharedCount + 1);
      const names = Buffer.from(memory, tables, header.namesBytes);
      if (
        nameOffsets[count] !== header.namesBytes ||
        recordOffsets[count] !== header.recordsBytes ||
        sharedOffsets[sharedCount] !== header.sharedBytes
      ) {
        throw new IndexFormatError('index offsets do not match its header');
      }
      const table = new PathTable(names, nameOffsets, count);
      return new IndexFile(path, fd, header, table, recordOffsets, sharedOffsets, dataStart + length);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  get count(): number {
    return this.header.count;
  }

  /** The stored JSON text of entry `i` (shared fields still as numbers). */
  recordText(i: number): string {
    return this.readText(this.recordsStart + this.recordOffsets[i], this.recordOffsets[i + 1] - this.recordOffsets[i]);
  }

  /** The record of entry `i`, with shared values filled in (those are frozen: copy to change). */
  record<T>(i: number): T {
    return this.parseRecord<T>(this.recordText(i));
  }

  /**
   * The records of several entries, as `record` reads them one by one, with far fewer reads: a
   * read is a system call, which costs more than parsing a small record, and a completion list
   * wants a couple of hundred records whose entries sit close together in the file (siblings in
   * key order). Entries are read in runs of records at most `RECORD_RUN_BYTES` apart.
   */
  records<T>(entries: readonly number[]): T[] {
    const order = entries.map((_, k) => k).sort((a, b) => entries[a]! - entries[b]!);
    const result = new Array<T>(entries.length);
    let k = 0;
    while (k < order.length) {
      const first = entries[order[k]!]!;
      const runStart = this.recordOffsets[first]!;
      // Extend the run while the next record still ends within reach of the run's start.
      let last = k;
      while (last + 1 < order.length && this.recordOffsets[entries[order[last + 1]!]! + 1]! - runStart <= RECORD_RUN_BYTES) last++;
      const runEnd = this.recordOffsets[entries[order[last]!]! + 1]!;
      const bytes = this.readBytes(this.recordsStart + runStart, runEnd - runStart);
      for (; k <= last; k++) {
        const entry = entries[order[k]!]!;
        const text = bytes.toString('utf8', this.recordOffsets[entry]! - runStart, this.recordOffsets[entry + 1]! - runStart);
        result[order[k]!] = this.parseRecord<T>(text);
      }
    }
    return result;
  }

  private parseRecord<T>(text: string): T {
    const record = JSON.parse(text) as Record<string, unknown>;
    for (const field of this.header.sharedFields) {
      const id = record[field];
      if (typeof id === 'number') record[field] = this.sharedValue(id);
    }
    return record as T;
  }

  private sharedValue(id: number): unknown {
    let value = this.sharedCache.get(id);
    if (value === undefined) {
      if (id < 0 || id >= this.header.sharedCount) throw new IndexFormatError(`shared value ${id} out of range`);
      const start = this.recordsStart + this.header.recordsBytes + this.sharedOffsets[id];
      value = deepFreeze(JSON.parse(this.readText(start, this.sharedOffsets[id + 1] - this.sharedOffsets[id])));
      this.sharedCache.set(id, value);
    }
    return value;
  }

  private readText(position: number, length: number): string {
    return this.readBytes(position, length).toString('utf8');
  }

  private readBytes(position: number, length: number): Buffer {
    if (this.fd === undefined) throw new Error('index is closed');
    const bytes = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const read = fs.readSync(this.fd, bytes, done, length - done, position + done);
      if (read === 0) throw new IndexFormatError('index file changed while in use');
      done += read;
    }
    return bytes;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function readU32(memory: ArrayBuffer, byteOffset: number, length: number): Uint32Array {
  const view = new Uint32Array(memory, byteOffset, length);
  if (littleEndian) return view;
  const data = new DataView(memory, byteOffset, length * 4);
  const copy = new Uint32Array(length);
  for (let i = 0; i < length; i++) copy[i] = data.getUint32(i * 4, true);
  return copy;
}
