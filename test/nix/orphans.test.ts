// No Nix process outlives the server, however the server ends. Each case starts a build whose
// builder sleeps for five minutes (test/fixtures/orphans), then ends the server mid-build: the
// client vanishes without a word (its pipes close), the client says shutdown and exit, the
// server gets SIGTERM, or the server gets SIGKILL (`kill -9`), which runs none of its exit code —
// there the process guardian beside it ends what it started. Within 5 s of the server's end
// nothing carrying the run's marker may still run — not the server, not Nix, and not the builder,
// which Nix starts in a session of its own and which therefore survives anything that kills Nix
// before Nix can kill it.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, TestClient } from '../support/lspClient';
import { liveProcesses, pollUntil as poll, type ProcessInfo } from '../support/processTable';
import { nixInstallations, requireNixInCi, type NixInstallation } from '../support/nixInstallations';

requireNixInCi();

const MARKER_VARIABLE = 'NIX_NUR_ORPHAN_MARKER';

/** Live processes whose environment or command line holds the marker. */
function markedProcesses(marker: string): ProcessInfo[] {
  return liveProcesses().filter((p) => p.cmdline.includes(marker) || p.environ.split('\0').includes(`${MARKER_VARIABLE}=${marker}`));
}

/** Everything still marked once things have had `graceMs` to end (empty when all are gone). */
async function survivorsAfter(marker: string, graceMs: number): Promise<ProcessInfo[]> {
  return poll('the marked processes to end', () => (markedProcesses(marker).length === 0 ? [] : undefined), graceMs).catch(() =>
    markedProcesses(marker),
  );
}

const describeProcess = (p: ProcessInfo) => `${p.pid} (ppid ${p.ppid}, pgid ${p.pgid}, sid ${p.session}): ${p.cmdline}`;

type Ending = 'the client vanishes' | 'the client sends shutdown and exit' | 'the server gets SIGTERM' | 'the server gets SIGKILL';

const endings: Record<Ending, (client: TestClient) => void> = {
  // An editor that crashes or is killed: no shutdown, its ends of the pipes just close.
  'the client vanishes': (client) => {
    client.connection.dispose();
    client.process.stdin.destroy();
    client.process.stdout.destroy();
    client.process.stderr.destroy();
  },
  // An editor that closes properly while a build is still running.
  'the client sends shutdown and exit': (client) => {
    void client.connection.sendRequest('shutdown').then(
      () => client.connection.sendNotification('exit'),
      () => undefined,
    );
  },
  // A service manager, a terminal closing, `kill`.
  'the server gets SIGTERM': (client) => void client.process.kill('SIGTERM'),
  // `kill -9`, the OOM killer: no exit path runs.
  'the server gets SIGKILL': (client) => void client.process.kill('SIGKILL'),
};

type Target = 'default.nix -A slow' | '.#slow';

const targets: Record<Target, (cwd: string) => Record<string, string>> = {
  'default.nix -A slow': (cwd) => ({ cwd, file: 'default.nix', attr: 'slow' }),
  '.#slow': (cwd) => ({ cwd, installable: '.#slow' }),
};

/** Every ending with `nix-build`; the flake build (`nix build`, another process tree) where it matters most. */
const cases: [Ending, Target][] = [
  ...(Object.keys(endings) as Ending[]).map((ending): [Ending, Target] => [ending, 'default.nix -A slow']),
  ['the server gets SIGKILL', '.#slow'],
  ['the client vanishes', '.#slow'],
];

const installations = nixInstallations();

describe.skipIf(installations.length === 0)('no Nix process outlives the server', () => {
  describe.each(installations.map((installation) => [installation.version, installation] as [string, NixInstallation]))('Nix %s', (_version, installation) => {
    let base: string | undefined;
    let marker: string | undefined;
    let client: TestClient | undefined;

    afterEach(() => {
      // Whatever the outcome, leave no five-minute sleeps behind for the next test.
      if (marker) {
        for (const left of markedProcesses(marker)) {
          try {
            process.kill(left.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
      if (client && client.process.exitCode === null && client.process.signalCode === null) client.process.kill('SIGKILL');
      client?.connection.dispose();
      if (base) rmSync(base, { recursive: true, force: true });
      base = marker = client = undefined;
    });

    it.each(cases)('when %s mid-build of %s', async (ending, target) => {
      // Under the temporary directory, which the Nix 2.26 chroot shares with the host.
      base = mkdtempSync(join(tmpdir(), 'nix-nur-orphans-'));
      const project = join(base, 'project');
      cpSync(join(repoRoot, 'test', 'fixtures', 'orphans'), project, { recursive: true });
      const home = join(base, 'home');
      mkdirSync(home);
      marker = `orphan${process.pid}x${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
      writeFileSync(join(project, 'marker.nix'), `"${marker}"\n`);
      const env = { ...installation.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), [MARKER_VARIABLE]: marker };

      ({ client } = await TestClient.start({ env }));
      const server = client.process;
      const serverExit = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      const build = client.request<{ status: string; message?: string }>('workspace/executeCommand', {
        command: 'nixNur.build',
        arguments: [targets[target](pathToFileURL(project).href)],
      });
      // The request is answered only if the build ends first, which would defeat the test.
      let buildEnded: { status: string; message?: string } | undefined;
      build.then(
        (result) => (buildEnded = result),
        () => undefined,
      );

      const sleeper = await poll(
        'the builder to start sleeping',
        () => {
          if (buildEnded) throw new Error(`the build ended early: ${JSON.stringify(buildEnded)}`);
          return markedProcesses(marker!).find((p) => p.cmdline.startsWith('/bin/sleep 300'));
        },
        60_000,
      );
      const before = markedProcesses(marker);
      // The server; Nix, its child, leading a process group of its own; and the builder in a
      // session of its own, which a signal to Nix's group does not reach.
      expect(before.some((p) => p.pid === server.pid)).toBe(true);
      const nix = before.find((p) => p.ppid === server.pid && p.pgid === p.pid);
      expect(nix, before.map(describeProcess).join('\n')).toBeDefined();
      expect(sleeper.pgid).not.toBe(nix!.pgid);
      expect(sleeper.session).not.toBe(nix!.session);

      endings[ending](client);
      await poll('the server to exit', () => (server.exitCode !== null || server.signalCode !== null ? true : undefined), 15_000);
      await serverExit;

      const survivors = await survivorsAfter(marker, 5_000);
      expect(survivors.map(describeProcess), `still running after the server exited; before it did:\n${before.map(describeProcess).join('\n')}`).toEqual([]);
    }, 120_000);
  });
});
