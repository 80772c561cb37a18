// The entries of an index while its source is being read: names as strings, records in a byte
// arena rather than one string or object each, so 84,000 packages cost a few large buffers, not
// 84,000 objects. Values many records share (a license, a platform summary) are stored once.

const ARENA_CHUNK = 4 << 20;

export class IndexContent {
  private readonly names: string[] = [];
  private chunks: Buffer[] = [];
  private current = Buffer.allocUnsafe(ARENA_CHUNK);
  private currentIndex = 0;
  private used = 0;
  private chunkOf = new Int32Array(1024);
  private startOf = new Int32Array(1024);
  private lengthOf = new Int32Array(1024);
  private readonly sharedIds = new Map<string, number>();
  /** Values handed in as the same object (normalised once for many records) skip serialising. */
  private readonly sharedByObject = new WeakMap<object, number>();
  private readonly sharedTexts: string[] = [];
  /** A name uses characters whose UTF-16 order differs from UTF-8 byte order. */
  private needsByteOrder = false;

  constructor(readonly sharedFields: readonly string[] = []) {
    this.chunks.push(this.current);
  }

  get size(): number {
    return this.names.length;
  }

  add(path: readonly string[], record: Record<string, unknown>): void {
    for (const field of this.sharedFields) {
      const value = record[field];
      if (value === undefined) continue;
      let id = typeof value === 'object' && value !== null ? this.sharedByObject.get(value) : undefined;
      if (id === undefined) {
        const text = JSON.stringify(value);
        id = this.sharedIds.get(text);
        if (id === undefined) {
          id = this.sharedTexts.length;
          this.sharedTexts.push(text);
          this.sharedIds.set(text, id);
        }
        if (typeof value === 'object' && value !== null) this.sharedByObject.set(value, id);
      }
      record[field] = id;
    }
    const name = path.join('\0');
    if (!this.needsByteOrder && /[\ud800-\uffff]/.test(name)) this.needsByteOrder = true;
    const n = this.names.length;
    if (n === this.chunkOf.length) this.grow();
    this.names.push(name);
    const text = JSON.stringify(record);
    if (text.length * 3 > ARENA_CHUNK / 4) {
      // A rare huge record gets a buffer of its own.
      const own = Buffer.from(text, 'utf8');
      this.chunks.push(own);
      this.chunkOf[n] = this.chunks.length - 1;
      this.startOf[n] = 0;
      this.lengthOf[n] = own.length;
      return;
    }
    if (text.length * 3 > ARENA_CHUNK - this.used) {
      this.current = Buffer.allocUnsafe(ARENA_CHUNK);
      this.chunks.push(this.current);
      this.currentIndex = this.chunks.length - 1;
      this.used = 0;
    }
    const written = this.current.write(text, this.used, 'utf8');
    this.chunkOf[n] = this.currentIndex;
    this.startOf[n] = this.used;
    this.lengthOf[n] = written;
    this.used += written;
  }

  private grow(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.chunkOf = grow(this.chunkOf);
    this.startOf = grow(this.startOf);
    this.lengthOf = grow(this.lengthOf);
  }

  /** Entry numbers in index order (bytewise by name), repeated names after the first dropped. */
  sortedOrder(): { order: number[]; duplicates: string[] } {
    const names = this.names;
    const order = Array.from({ length: names.length }, (_, i) => i);
    const compare = this.needsByteOrder ? compareInUtf8Order : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    // Stable: among equal names the first added stays first.
    order.sort((a, b) => compare(names[a], names[b]));
    const unique: number[] = [];
    const duplicates: string[] = [];
    for (const i of order) {
      if (unique.length && names[unique[unique.length - 1]] === names[i]) duplicates.push(names[i].replace(/\0/g, '.'));
      else unique.push(i);
    }
    return { order: unique, duplicates };
  }

  nameOf(i: number): string {
    return this.names[i];
  }

  recordBytes(i: number): Buffer {
    const start = this.startOf[i];
    return this.chunks[this.chunkOf[i]].subarray(start, start + this.lengthOf[i]);
  }

  get shared(): readonly string[] {
    return this.sharedTexts;
  }
}

/**
 * Orders strings as their UTF-8 bytes compare. UTF-16 code units agree with UTF-8 order except that
 * surrogates (code points above U+FFFF) must sort after U+E000–U+FFFF.
 */
export function compareInUtf8Order(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
