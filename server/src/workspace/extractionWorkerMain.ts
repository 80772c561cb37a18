// The worker thread of the workspace index (bundled as dist/workspaceIndexWorker.js): reads a
// file (or takes an open document's text), parses and analyses it, and answers with what it
// declares. One request at a time.
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeTree } from '../analysis/analysis';
import { fileDeclarations } from '../analysis/fileDeclarations';
import { parseNix } from '../syntax/grammarText';
import { createNixParser } from '../syntax/parser';
import { readIndexable, type ExtractionAnswer, type ExtractionRequest, type ExtractionWorkerData } from './fileExtraction';

for (const flag of (workerData as ExtractionWorkerData | undefined)?.v8Flags ?? []) setFlagsFromString(flag);

const parser = createNixParser();

parentPort?.on('message', async ({ id, path, maxFileSize, text: given }: ExtractionRequest) => {
  let answer: ExtractionAnswer;
  try {
    const text = given ?? (await readIndexable(path, maxFileSize));
    if (text === undefined) {
      answer = { id };
    } else {
      const tree = parseNix(await parser, text);
      try {
        answer = { id, declarations: tree ? fileDeclarations(analyzeTree(tree, text, { maxAnalysisSize: maxFileSize }), path) : undefined };
      } finally {
        tree?.delete();
      }
    }
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
