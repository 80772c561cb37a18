// The line of Nix's standard error that names the cause, in the layouts of Nix 2.8 and 2.26.
import { describe, expect, it } from 'vitest';
import { errorSummary } from '../../../server/src/nix/errorSummary';

describe('errorSummary', () => {
  it('takes the error line Nix 2.8 writes first', () => {
    const stderr = [
      "error: syntax error, unexpected end of file, expecting ';'",
      '',
      '       at /nix/store/8dfywcnr2qm0a4igz274ix3cldchax9d-source/flake.nix:1:56:',
      '',
      '            1| { outputs = { self }: { a = 1; }',
      '             |                                                        ^',
    ].join('\n');
    expect(errorSummary(stderr)).toBe("error: syntax error, unexpected end of file, expecting ';'");
  });

  it('takes the cause Nix 2.26 writes after a bare error: and the trace', () => {
    const stderr = [
      '\u001b[31;1merror:\u001b[0m',
      "       … while calling the 'getFlake' builtin",
      '         at «string»:1:1:',
      '            1| builtins.getFlake "/tmp/x"',
      '             | ^',
      '',
      "       error: syntax error, unexpected end of file, expecting ';'",
      '       at /nix/store/8dfywcnr2qm0a4igz274ix3cldchax9d-source/flake.nix:2:1:',
    ].join('\n');
    expect(errorSummary(stderr)).toBe("error: syntax error, unexpected end of file, expecting ';'");
  });

  it('reads a message on the line after a bare error:, and the last line of anything else', () => {
    expect(errorSummary('error:\n       … while evaluating\n       cannot connect to the daemon\n')).toBe('error: cannot connect to the daemon');
    expect(errorSummary('warning: something\nfatal: not a git repository\n')).toBe('fatal: not a git repository');
    expect(errorSummary('')).toBe('');
  });
});
