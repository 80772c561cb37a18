// The user's formatter command, run for real: programs that transform standard input, one that
// fails, one that hangs, one that does not exist.
import { describe, expect, it } from 'vitest';
import { runExternalFormatter } from '../../../server/src/features/formatting/externalFormatter';

describe('external formatter', () => {
  it('gives the document on standard input and takes standard output', async () => {
    expect(await runExternalFormatter(['tr', 'a-z', 'A-Z'], '{ a = b; }\n')).toEqual({ ok: true, text: '{ A = B; }\n' });
    expect(await runExternalFormatter(['sed', '-e', 's/ = /=/'], '{ a = b; }\n')).toEqual({ ok: true, text: '{ a=b; }\n' });
  });

  it('reports a failing command with what it printed', async () => {
    const result = await runExternalFormatter(['sh', '-c', 'cat >/dev/null; echo "error: unexpected }" >&2; exit 1'], '{ a = }');
    expect(result).toEqual({ ok: false, message: 'sh -c cat >/dev/null; echo "error: unexpected }" >&2; exit 1 failed: error: unexpected }; nothing was changed' });
  });

  it('stops a command that hangs', async () => {
    const started = Date.now();
    const result = await runExternalFormatter(['sleep', '30'], '{ }', { timeoutMs: 300 });
    expect(result).toEqual({ ok: false, message: 'sleep 30 did not finish within 0.3 s; nothing was changed' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('treats empty output for a non-empty document as a failure', async () => {
    expect(await runExternalFormatter(['true'], '{ }\n')).toEqual({ ok: false, message: 'true printed nothing; nothing was changed' });
  });

  it('names a program that does not exist', async () => {
    expect(await runExternalFormatter(['no-such-formatter-xyz'], '{ }')).toEqual({
      ok: false,
      message: 'no-such-formatter-xyz was not found (nixNur.formatting.command); nothing was changed',
    });
  });
});
