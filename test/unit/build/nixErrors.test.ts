import { describe, expect, it } from 'vitest';
import { parseNixLog, type LogMessageEvent } from '../../../server/src/nix/internalJson';
import { isErrorMessage, isFilePosition, nixErrorOf, parseBuilderFailure, parseHashMismatch, positionsInText } from '../../../server/src/nix/nixErrors';
import { recordedStderr, recordedVersions, recordedWorkdir } from './recordings';

function errorsOf(scenario: string, version: string) {
  return parseNixLog(recordedStderr(scenario, version)).filter(isErrorMessage).map((event: LogMessageEvent) => nixErrorOf(event));
}

describe.each(recordedVersions())('errors recorded from Nix %s', (version) => {
  it('gives an evaluation error in a flake its store position and a clean summary', () => {
    const [error] = errorsOf('flake-evalfail', version);
    expect(error.summary).toBe('cannot add a string to an integer');
    expect(error.position).toEqual({ file: expect.stringMatching(/^\/nix\/store\/[0-9a-z]{32}-source\/pkgs\/evalfail\.nix$/), line: 6, column: 17 });
    expect(error.text).not.toMatch(/\u001b/);
    // With --show-trace both versions name the frame in lib/mk.nix that forced the value.
    expect(error.trace.some((frame) => frame.position?.file.endsWith('-source/lib/mk.nix'))).toBe(true);
  });

  it('gives an evaluation error of nix-build the real file', () => {
    const [error] = errorsOf('legacy-evalfail', version);
    expect(error.position).toEqual({ file: `${recordedWorkdir(version)}/legacy/pkgs/evalfail.nix`, line: 6, column: 17 });
  });

  it('reads the hash mismatch of a flake build', () => {
    const mismatches = errorsOf('flake-fixed', version).map((error) => parseHashMismatch(error.text)).filter(Boolean);
    expect(mismatches).toEqual([
      {
        drvPath: expect.stringMatching(/^\/nix\/store\/[0-9a-z]{32}-fixed-src\.drv$/),
        drvName: 'fixed-src',
        specified: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        got: 'sha256-rc95GuKAPAwQ8Nq5xDDDmsWAv5XWqDSiSPTe3XLGlmU=',
      },
    ]);
  });

  it('reads the hash mismatch of an empty hash with nix-build', () => {
    const mismatch = errorsOf('legacy-fixed', version).map((error) => parseHashMismatch(error.text)).find(Boolean);
    expect(mismatch).toMatchObject({ drvName: 'legacy-fixed-src', specified: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', got: 'sha256-YV6pDrcOducAR4tdvk7hS0Dxu9kcl5uSwu6GwDzVKec=' });
  });

  it('reads a failed builder', () => {
    const failure = errorsOf('flake-broken', version).map((error) => parseBuilderFailure(error.text)).find(Boolean);
    expect(failure).toEqual({ drvPath: expect.stringMatching(/-broken-1\.0\.drv$/), drvName: 'broken-1.0', exitCode: 3 });
  });

  it('reports a missing attribute without a position', () => {
    const [error] = errorsOf('flake-missing-attr', version);
    expect(error.summary).toMatch(/does not provide attribute 'packages\.[^.]+\.doesNotExist'/);
    expect(isFilePosition(error.position)).toBe(false);
  });
});

describe('older wordings', () => {
  it('reads the Nix 2.2/2.3 "wanted" form', () => {
    const text = "hash mismatch in fixed-output derivation '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source':\n  wanted: sha256:0000000000000000000000000000000000000000000000000000\n  got:    sha256:1i0ql3r8cyy0a7pbwqrrbnkc6hyi3ij7z1rjd2nwgkzs9g6d1ggg";
    expect(parseHashMismatch(text)).toEqual({
      drvPath: '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source',
      drvName: 'source',
      specified: 'sha256:0000000000000000000000000000000000000000000000000000',
      got: 'sha256:1i0ql3r8cyy0a7pbwqrrbnkc6hyi3ij7z1rjd2nwgkzs9g6d1ggg',
    });
  });

  it('reads the Nix 2.0 "was expected" form', () => {
    const text = "output path '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.10.tar.gz' has sha256 hash '1i0ql3r8cyy0a7pbwqrrbnkc6hyi3ij7z1rjd2nwgkzs9g6d1ggg' when '0000000000000000000000000000000000000000000000000000' was expected";
    expect(parseHashMismatch(text)).toMatchObject({
      drvName: 'hello-2.10.tar.gz',
      specified: 'sha256:0000000000000000000000000000000000000000000000000000',
      got: 'sha256:1i0ql3r8cyy0a7pbwqrrbnkc6hyi3ij7z1rjd2nwgkzs9g6d1ggg',
    });
  });

  it('reads builder failures with the old log excerpt', () => {
    expect(parseBuilderFailure("builder for '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-x-1.drv' failed with exit code 2; last 10 log lines:")).toMatchObject({ drvName: 'x-1', exitCode: 2 });
  });

  it('reads the "Cannot build" wording of later versions', () => {
    const text = "Cannot build '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-x-1.drv'.\n       Reason: builder failed with exit code 2.";
    expect(parseBuilderFailure(text)).toEqual({ drvPath: '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-x-1.drv', drvName: 'x-1', exitCode: 2 });
  });

  it('finds positions written in the text of plain errors', () => {
    expect(positionsInText("error: undefined variable 'x'\n\n       at /tmp/w/default.nix:3:7:\n\n            2| ")).toEqual([{ file: '/tmp/w/default.nix', line: 3, column: 7 }]);
  });
});
