// The workspace index's worker thread: it answers what a text declares, is ended once idle (its
// WebAssembly memory and heap go back to the system) and is started again by the next request.
// Runs the bundled worker (dist/workspaceIndexWorker.js, made by `npm run build`).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workerExtraction } from '../../../server/src/workspace/fileExtraction';
import { repoRoot } from '../../support/lspClient';

const script = join(repoRoot, 'dist', 'workspaceIndexWorker.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!existsSync(script))('workerExtraction', () => {
  it('ends the worker once it has been idle, and starts it again for the next request', async () => {
    const logged: string[] = [];
    const extraction = workerExtraction(script, (message) => logged.push(message), { idleMs: 100, v8Flags: ['--semi-space-growth-factor=1'] });
    try {
      expect(extraction.running).toBe(false);
      const first = await extraction.extractText('{ top = 1; other = 2; }', 'file:///first.nix', 1_000_000);
      expect(first?.names.map((n) => n.name)).toEqual(['top', 'other']);
      expect(extraction.running).toBe(true);
      await sleep(1000);
      expect(extraction.running).toBe(false);
      // Requests in a row keep it: each resets the idle time.
      const second = await extraction.extractText('{ again = 3; }', 'file:///second.nix', 1_000_000);
      expect(second?.names.map((n) => n.name)).toEqual(['again']);
      expect(extraction.running).toBe(true);
      expect(logged).toEqual([]);
    } finally {
      extraction.dispose();
    }
  }, 30_000);
});
