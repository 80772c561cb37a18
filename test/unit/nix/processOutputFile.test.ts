// A process whose output is large writes it straight into a file, never through the server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess, startProcess } from '../../../server/src/nix/process';

const dir = mkdtempSync(join(tmpdir(), 'nix-nur-process-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('standard output into a file', () => {
  it('holds all the output, replaces what the file held, and the stream carries nothing', async () => {
    const file = join(dir, 'out.json');
    writeFileSync(file, 'an older and much longer content that must not remain at the end');
    // 3 MB, far more than a pipe holds at once.
    const result = await runProcess('head', ['-c', String(3 << 20), '/dev/zero'], { stdoutFile: file });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(file).length).toBe(3 << 20);
    await runProcess('echo', ['{}'], { stdoutFile: file });
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
  });

  it('still gives standard error to the server, and the exit of a failing program', async () => {
    const file = join(dir, 'failed.json');
    const running = startProcess('sh', ['-c', 'echo partial; echo broken >&2; exit 3'], { stdoutFile: file });
    let stderr = '';
    running.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = await running.exit;
    expect(exit.code).toBe(3);
    expect(stderr).toBe('broken\n');
    expect(readFileSync(file, 'utf8')).toBe('partial\n');
  });
});
