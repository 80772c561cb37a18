// Reading what a file on disk declares, for the workspace index: in a worker thread when the
// bundled worker script is there (parsing and analysing a large module takes a few hundred
// milliseconds, which must never hold up the server's event loop), else in this thread (running
// from sources, in tests). Either way a file that is missing, too large or unreadable yields
// nothing.
import { readFile, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { FileDeclarations } from '../analysis/fileDeclarations';

export interface FileExtraction {
  /** What the file at `path` declares; undefined when it cannot be indexed. */
  extract(path: string, maxFileSize: number): Promise<FileDeclarations | undefined>;
  /** What `text` (an open document named `fileName`) declares. */
  extractText(text: string, fileName: string, maxFileSize: number): Promise<FileDeclarations | undefined>;
  dispose(): void;
}

/** A request to the worker, and its answer. */
export interface ExtractionRequest {
  id: number;
  path: string;
  maxFileSize: number;
  /** The text to read instead of the file (an open document). */
  text?: string;
}

export interface ExtractionAnswer {
  id: number;
  declarations?: FileDeclarations;
  error?: string;
}

/** Reads a file when it is a regular file within the size limit. */
export async function readIndexable(path: string, maxFileSize: number): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() && info.size <= maxFileSize ? await readFile(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** Extraction in this thread, with `extract` parsing and analysing the text. */
export function inThreadExtraction(extract: (text: string, fileName: string) => FileDeclarations | undefined): FileExtraction {
  return {
    extract: async (path, maxFileSize) => {
      const text = await readIndexable(path, maxFileSize);
      return text === undefined ? undefined : extract(text, path);
    },
    extractText: async (text, fileName) => extract(text, fileName),
    dispose: () => undefined,
  };
}

/** Extraction in a worker thread running `script` (the bundled extractionWorkerMain.ts). */
export function workerExtraction(script: string, log: (message: string) => void): FileExtraction {
  let worker: Worker | undefined;
  let nextId = 0;
  const waiting = new Map<number, (answer: ExtractionAnswer) => void>();
  const fail = (error: string) => {
    for (const resolve of waiting.values()) resolve({ id: -1, error });
    waiting.clear();
    worker = undefined;
  };
  const start = (): Worker => {
    const started = new Worker(script);
    started.on('message', (answer: ExtractionAnswer) => {
      const resolve = waiting.get(answer.id);
      waiting.delete(answer.id);
      resolve?.(answer);
      if (waiting.size === 0) started.unref();
    });
    started.on('error', (error) => {
      log(`workspace index: worker failed: ${error.message}`);
      fail(error.message);
    });
    started.on('exit', () => fail('the worker exited'));
    return started;
  };
  const ask = (path: string, maxFileSize: number, text?: string) =>
    new Promise<FileDeclarations | undefined>((resolve) => {
      worker ??= start();
      worker.ref();
      const id = nextId++;
      waiting.set(id, (answer) => {
        if (answer.error) log(`workspace index: ${path}: ${answer.error}`);
        resolve(answer.declarations);
      });
      worker.postMessage({ id, path, maxFileSize, text } satisfies ExtractionRequest);
    });
  return {
    extract: (path, maxFileSize) => ask(path, maxFileSize),
    extractText: (text, fileName, maxFileSize) => ask(fileName, maxFileSize, text),
    dispose: () => {
      void worker?.terminate();
      worker = undefined;
    },
  };
}
