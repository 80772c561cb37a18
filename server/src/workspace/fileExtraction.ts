// Reading what a file on disk declares, for the workspace index: in a worker thread when the
// bundled worker script is there (parsing and analysing a large module takes a few hundred
// milliseconds, which must never hold up the server's event loop), else in this thread (running
// from sources, in tests). Either way a file that is missing, too large or unreadable yields
// nothing.
import { readFile, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { revivedDeclarations, type FileDeclarations } from '../analysis/fileDeclarations';

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

/**
 * How long the worker may sit idle before it is ended. A worker that has parsed a large file keeps
 * that parse's WebAssembly memory (which never shrinks) and its heap; ending it returns both to
 * the system, and starting one again costs a fraction of a second, off the event loop. A scan asks
 * for file after file and keeps the worker alive throughout.
 */
export const WORKER_IDLE_MS = 2000;

/**
 * The worker's young generation, in megabytes. V8's default lets it grow to 32 MB (with as much
 * again of the main thread's); most of an analysis survives into the old generation anyway, so a
 * small one costs the worker little time and the process a good share of its peak memory. Only the
 * young generation is bounded: a limit on the old one could be hit, and would end the worker.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

/** What the worker is started with. */
export interface ExtractionWorkerData {
  /**
   * V8 flags the worker sets first thing. They are the process's: starting a thread resets some of
   * them (the young generation's growth factor), and the worker sets them back.
   */
  v8Flags: string[];
}

export interface WorkerExtractionOptions {
  /** V8 flags to set again once the worker has started (see `ExtractionWorkerData`). */
  v8Flags?: string[];
  /** How long the worker may sit idle before it is ended. */
  idleMs?: number;
}

export interface WorkerExtraction extends FileExtraction {
  /** Whether a worker thread is alive (it is ended once idle). */
  readonly running: boolean;
}

/** Extraction in a worker thread running `script` (the bundled extractionWorkerMain.ts). */
export function workerExtraction(script: string, log: (message: string) => void, options: WorkerExtractionOptions = {}): WorkerExtraction {
  const idleMs = options.idleMs ?? WORKER_IDLE_MS;
  const workerData: ExtractionWorkerData = { v8Flags: options.v8Flags ?? [] };
  let worker: Worker | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 0;
  const waiting = new Map<number, (answer: ExtractionAnswer) => void>();
  const fail = (failed: Worker, error: string) => {
    if (worker !== failed) return;
    for (const resolve of waiting.values()) resolve({ id: -1, error });
    waiting.clear();
    worker = undefined;
  };
  const endWhenIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (waiting.size > 0 || !worker) return;
      const ending = worker;
      worker = undefined;
      void ending.terminate();
    }, idleMs);
    idleTimer.unref?.();
  };
  const start = (): Worker => {
    const started = new Worker(script, { workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    started.on('message', (answer: ExtractionAnswer) => {
      const resolve = waiting.get(answer.id);
      waiting.delete(answer.id);
      resolve?.(answer);
      if (waiting.size === 0) {
        started.unref();
        endWhenIdle();
      }
    });
    started.on('error', (error) => {
      log(`workspace index: worker failed: ${error.message}`);
      fail(started, error.message);
    });
    started.on('exit', () => fail(started, 'the worker exited'));
    return started;
  };
  const ask = (path: string, maxFileSize: number, text?: string) =>
    new Promise<FileDeclarations | undefined>((resolve) => {
      clearTimeout(idleTimer);
      worker ??= start();
      worker.ref();
      const id = nextId++;
      waiting.set(id, (answer) => {
        if (answer.error) log(`workspace index: ${path}: ${answer.error}`);
        // The structured clone kept the entries' fields, not their class.
        resolve(answer.declarations && revivedDeclarations(answer.declarations));
      });
      worker.postMessage({ id, path, maxFileSize, text } satisfies ExtractionRequest);
    });
  return {
    get running() {
      return worker !== undefined;
    },
    extract: (path, maxFileSize) => ask(path, maxFileSize),
    extractText: (text, fileName, maxFileSize) => ask(fileName, maxFileSize, text),
    dispose: () => {
      clearTimeout(idleTimer);
      void worker?.terminate();
      worker = undefined;
    },
  };
}
