import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBuildables } from '../../../server/src/features/build/buildables';
import { runBuild, type BuildDependencies } from '../../../server/src/features/build/runBuild';
import { capabilitiesOf, parseNixVersion } from '../../../server/src/nix/version';

// These cases never reach a working Nix: bad requests, no Nix at all, and a Nix directory that
// holds no programs. The builds themselves are tested against real Nix in test/nix/build.test.ts.
let root: string;
let emptyBin: string;
const capabilities = capabilitiesOf(parseNixVersion('nix (Nix) 2.26.3')!);

function recorder(extra: Partial<BuildDependencies> = {}) {
  const events: string[] = [];
  const deps: BuildDependencies = {
    capabilities,
    progress: {
      begin: (title) => events.push(`begin ${title}`),
      report: (message) => events.push(`report ${message}`),
      end: (message) => events.push(`end ${message}`),
    },
    onLogLine: (line) => events.push(`log ${line}`),
    ...extra,
  };
  return { deps, events };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nix-nur-runbuild-'));
  emptyBin = mkdtempSync(join(tmpdir(), 'nix-nur-nobin-'));
  writeFileSync(join(root, 'flake.nix'), '{ outputs = _: { }; }');
  writeFileSync(join(root, 'default.nix'), '{ }');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(emptyBin, { recursive: true, force: true });
});

describe('runBuild without a usable Nix', () => {
  it('rejects a bad request without starting anything', async () => {
    const { deps, events } = recorder();
    const result = await runBuild({ cwd: pathToFileURL(root).href, installable: '--option' }, deps);
    expect(result).toMatchObject({ status: 'failed', kind: 'invalid-request', message: expect.stringMatching(/must not start with '-'/) });
    expect(events).toEqual([]);
  });

  it('says Nix is missing when no nix was detected', async () => {
    const { deps } = recorder({ capabilities: undefined });
    const result = await runBuild({ cwd: pathToFileURL(root).href, installable: '.#x' }, deps);
    expect(result).toMatchObject({ status: 'failed', kind: 'nix-missing', message: expect.stringMatching(/^Nix is not installed or not on PATH/) });
  });

  it('says Nix is missing when the program cannot be started, and closes its progress', async () => {
    const { deps, events } = recorder({ tools: { binDir: emptyBin } });
    const flake = await runBuild({ cwd: pathToFileURL(root).href, installable: '.#x' }, deps);
    expect(flake).toMatchObject({ status: 'failed', kind: 'nix-missing', message: expect.stringMatching(/^Nix is not installed or not on PATH/) });
    const legacy = await runBuild({ cwd: pathToFileURL(root).href, file: 'default.nix', attr: 'x' }, deps);
    expect(legacy).toMatchObject({ status: 'failed', kind: 'nix-missing', message: expect.stringContaining("'nix-build' could not be started") });
    expect(events.filter((event) => event.startsWith('begin') || event.startsWith('end'))).toEqual([
      'begin Building .#x',
      'end Build failed',
      'begin Building default.nix -A x',
      'end Build failed',
    ]);
  });

  it('returns cancelled at once for an already aborted signal', async () => {
    const { deps, events } = recorder({ signal: AbortSignal.abort() });
    expect(await runBuild({ cwd: pathToFileURL(root).href, installable: '.#x' }, deps)).toMatchObject({ status: 'cancelled' });
    expect(events).toEqual([]);
  });

  it('survives a progress reporter and log sink that throw', async () => {
    const throwing = () => {
      throw new Error('client gone');
    };
    const result = await runBuild(
      { cwd: pathToFileURL(root).href, installable: '.#x' },
      { capabilities, tools: { binDir: emptyBin }, progress: { begin: throwing, report: throwing, end: throwing }, onLogLine: throwing },
    );
    expect(result).toMatchObject({ status: 'failed', kind: 'nix-missing' });
  });
});

describe('listBuildables without a usable Nix', () => {
  it('explains what is missing', async () => {
    expect(await listBuildables({ cwd: pathToFileURL(root).href }, { capabilities: undefined })).toEqual({ ok: false, message: expect.stringMatching(/^Nix is not installed/) });
    expect(await listBuildables({ cwd: pathToFileURL(root).href }, { capabilities, tools: { binDir: emptyBin } })).toEqual({ ok: false, message: expect.stringMatching(/^Nix is not installed/) });
    expect(await listBuildables({ cwd: pathToFileURL(emptyBin).href }, { capabilities })).toEqual({ ok: false, message: `There is no flake.nix or default.nix in ${emptyBin}.` });
    expect(await listBuildables({ cwd: 'file:///nowhere/at/all' }, { capabilities })).toMatchObject({ ok: false, message: expect.stringMatching(/does not exist/) });
  });
});
