// How a configuration's evaluation runs Nix: in the background (niced, so typing comes first while
// it runs), with its output — tens of megabytes of option tree — written by Nix straight into the
// file, never through the server. A stand-in `nix` reports what it was given.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateOptionTree } from '../../../server/src/configurations/configurationEvaluation';

const dir = mkdtempSync(join(tmpdir(), 'nix-nur-evaluation-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('evaluating a configuration', () => {
  it('runs Nix niced, its output going straight into the file', async () => {
    const nix = join(dir, 'nix');
    // Its own niceness (field 19 of /proc/PID/stat; the command name `sh` holds no space), and
    // whether its standard output is a file or a pipe.
    writeFileSync(nix, '#!/bin/sh\nout=$(readlink /proc/$$/fd/1)\necho "{\\"niceness\\": $(cut -d" " -f19 /proc/$$/stat), \\"stdout\\": \\"$out\\"}"\n');
    chmodSync(nix, 0o755);
    const output = join(dir, 'options', 'box.json');
    const ref = { kind: 'flake-output' as const, id: 'nixosConfigurations.box', flakeDir: dir, category: 'nixosConfigurations' as const, name: 'box' };
    const own = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);
    const result = await evaluateOptionTree(ref, output, { nix });
    expect(result.file).toBe(output);
    const written = JSON.parse(readFileSync(output, 'utf8')) as { niceness: number; stdout: string };
    expect(written.niceness).toBe(Math.min(19, own + 10));
    expect(written.stdout).toBe(output);
  });
});
