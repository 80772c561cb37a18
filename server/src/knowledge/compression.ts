// Turns the bytes of a source (file, download, `nix-env` output) into decompressed JSON bytes.
// Channels publish brotli (`.br`), others gzip (`.gz`) or plain JSON: gzip announces itself with
// magic bytes, plain JSON with `{`; brotli has no magic, so it is assumed when neither matches.
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { KnowledgeInputError } from './errors';

export type Compression = 'plain' | 'gzip' | 'brotli';

/** zlib's default 16 KB output chunks make brotli three times slower on a 328 MB file. */
const CHUNK_SIZE = 1 << 20;

/** Decides from the first bytes, and the name when the bytes do not tell. */
export function detectCompression(head: Buffer, nameHint = ''): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (i < head.length && (head[i] === 0x7b || head[i] === 0x5b)) return 'plain';
  if (/\.json$/i.test(stripQuery(nameHint)) && i === head.length) return 'plain';
  return 'brotli';
}

function stripQuery(name: string): string {
  const q = name.search(/[?#]/);
  return q >= 0 ? name.slice(0, q) : name;
}

/** The decompressed chunks of `input`, whatever its compression. */
export async function* decompressedChunks(input: AsyncIterable<Buffer>, nameHint = ''): AsyncGenerator<Buffer> {
  const iterator = input[Symbol.asyncIterator]();
  const rest = async function* () {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  };
  try {
    let first = await iterator.next();
    while (!first.done && first.value.length === 0) first = await iterator.next();
    if (first.done) return;
    const head: Buffer = first.value;
    const compression = detectCompression(head, nameHint);
    if (compression === 'plain') {
      yield head;
      yield* rest();
      return;
    }
    yield* decode(compression, head, rest());
  } finally {
    // Closes the underlying file or socket when the reader stops early.
    void iterator.return?.()?.catch(() => undefined);
  }
}

async function* decode(compression: Compression, head: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const decoder = compression === 'gzip' ? zlib.createGunzip({ chunkSize: CHUNK_SIZE }) : zlib.createBrotliDecompress({ chunkSize: CHUNK_SIZE });
  const compressed = Readable.from(
    (async function* () {
      yield head;
      yield* rest;
    })(),
    { objectMode: false },
  );
  compressed.on('error', (error) => decoder.destroy(error));
  compressed.pipe(decoder);
  try {
    for await (const chunk of decoder) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof KnowledgeInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code.startsWith('ERR__')) {
      const what = compression === 'gzip' ? 'gzip' : 'brotli';
      throw new KnowledgeInputError(`the ${what} data is damaged or cut short (${(error as Error).message})`);
    }
    throw error;
  } finally {
    compressed.unpipe(decoder);
    compressed.destroy();
    decoder.destroy();
  }
}
