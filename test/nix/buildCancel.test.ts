// Cancelling a long build with every Nix installed here: the AbortSignal must end Nix's process
// group, Nix must take its builder (which runs in a session of its own) down with it, and the
// build's promise must settle.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuild, type BuildResult } from '../../server/src/features/build/runBuild';
import { detectNix, type NixCapabilities } from '../../server/src/nix/version';
import { nixInstallations, requireNixInCi, type NixInstallation } from '../support/nixInstallations';
import { fixtureWorkspace, type FixtureWorkspace } from '../fixtures/build/workspace';
import { liveProcesses as processes, pollUntil as waitFor } from '../support/processTable';

requireNixInCi();
const installations = nixInstallations();

/** Fails instead of hanging when the promise does not settle. */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms).unref())]);
}

describe.skipIf(installations.length === 0)('cancelling a build with real Nix', () => {
  describe.each(installations.map((installation) => [installation.version, installation] as [string, NixInstallation]))('Nix %s', (_version, installation) => {
    let capabilities: NixCapabilities;
    let workspace: FixtureWorkspace;
    const token = `${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;

    beforeAll(async () => {
      capabilities = (await detectNix(join(installation.binDir, 'nix'), { env: installation.env }))!;
      workspace = fixtureWorkspace('flake', installation, (dir) => {
        // A sleep nobody else runs, so the builder can be recognised among all processes.
        const slow = join(dir, 'pkgs', 'slow.nix');
        writeFileSync(slow, readFileSync(slow, 'utf8').replace('/bin/sleep 300.0', `/bin/sleep 300.${token}`));
      });
    });

    afterAll(() => workspace?.remove());

    it('kills the whole build and settles promptly', async () => {
      const controller = new AbortController();
      const reports: string[] = [];
      const ends: string[] = [];
      const marker = `NIX_NUR_BUILD_TEST=${token}`;
      const pending: Promise<BuildResult> = runBuild(
        { cwd: workspace.uri, installable: '.#slow' },
        {
          capabilities,
          progress: { begin: () => undefined, report: (message) => reports.push(message), end: (message) => ends.push(message) },
          onLogLine: () => undefined,
          signal: controller.signal,
          tools: { env: { ...workspace.env, NIX_NUR_BUILD_TEST: token } },
        },
      );

      const builder = await waitFor('the builder to run', () => processes().find((p) => p.cmdline.includes(`300.${token}`)), 60_000);
      await waitFor('the build to be reported', () => (reports.some((message) => message.startsWith('Building 1/1: slow-1.0')) ? true : undefined), 10_000);
      // Nix itself carries the marker in its environment; its builder gets a clean one.
      const nix = processes().find((p) => p.environ.split('\0').includes(marker));
      expect(nix).toBeDefined();
      const group = nix!.pgid;
      expect(builder.pgid).not.toBe(group);

      controller.abort();
      const result = await settlesWithin(pending, 15_000);
      expect(result).toMatchObject({ status: 'cancelled', label: '.#slow' });
      expect(ends).toEqual(['Build cancelled']);

      // Nothing of Nix's process group, and not the builder either, is left running.
      const leftovers = await waitFor(
        'the processes to go',
        () => {
          const left = processes().filter((p) => p.pgid === group || p.cmdline.includes(`300.${token}`));
          return left.length === 0 ? left : undefined;
        },
        5_000,
      ).catch(() => processes().filter((p) => p.pgid === group || p.cmdline.includes(`300.${token}`)));
      expect(leftovers).toEqual([]);
    });
  });
});
