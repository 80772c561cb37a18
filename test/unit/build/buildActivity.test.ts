import { describe, expect, it } from 'vitest';
import { BuildActivityTracker, derivationName } from '../../../server/src/nix/buildActivity';
import { parseNixLog, parseNixLogLine } from '../../../server/src/nix/internalJson';
import { describeProgress, formatBytes } from '../../../server/src/features/build/progressMessage';
import { recordedStderr, recordedVersions } from './recordings';

function replay(stderr: string) {
  const tracker = new BuildActivityTracker();
  const messages: string[] = [];
  const logs: string[] = [];
  for (const event of parseNixLog(stderr)) {
    const update = tracker.apply(event);
    if (update.kind === 'log') logs.push(`${update.derivation?.name ?? '?'}> ${update.text}`);
    if (update.kind === 'progress') {
      const { message } = describeProgress(tracker.snapshot());
      if (messages[messages.length - 1] !== message) messages.push(message);
    }
  }
  return { tracker, messages, logs };
}

describe('derivationName', () => {
  it('drops the store directory, hash and .drv', () => {
    expect(derivationName('/nix/store/hvap871qaiixqc8x3yysig860jmidd1k-liba-1.0.drv')).toBe('liba-1.0');
    expect(derivationName('/nix/store/hvap871qaiixqc8x3yysig860jmidd1k-source')).toBe('source');
    expect(derivationName('plain')).toBe('plain');
  });
});

describe.each(recordedVersions())('replaying recordings of Nix %s', (version) => {
  it('follows the two-derivation chain build by build and phase by phase', () => {
    const { tracker, messages, logs } = replay(recordedStderr('flake-chain', version));
    expect(messages).toEqual(
      expect.arrayContaining([
        'Building 1/2: liba-1.0',
        'Building 1/2: liba-1.0 — configurePhase',
        'Building 1/2: liba-1.0 — buildPhase',
        'Building 2/2: app-1.0 — configurePhase',
        'Building 2/2: app-1.0 — buildPhase',
        'Built 2/2',
      ]),
    );
    expect(messages.indexOf('Building 1/2: liba-1.0 — buildPhase')).toBeLessThan(messages.indexOf('Building 2/2: app-1.0 — buildPhase'));
    expect(logs).toEqual([
      'liba-1.0> configuring liba-1.0',
      'liba-1.0> building liba',
      'liba-1.0> second line of liba',
      'app-1.0> configuring app-1.0',
      'app-1.0> building app',
      expect.stringMatching(/^app-1\.0> linking \/nix\/store\/[0-9a-z]{32}-liba-1\.0$/),
    ]);
    const snapshot = tracker.snapshot();
    expect(snapshot.builds).toMatchObject({ done: 2, expected: 2, running: 0 });
    expect(snapshot.runningBuilds).toEqual([]);
    expect(describeProgress(snapshot)).toEqual({ message: 'Built 2/2', percentage: 100 });
  });

  it('keeps the last lines of a failed derivation', () => {
    const { tracker } = replay(recordedStderr('flake-broken', version));
    const drv = parseNixLog(recordedStderr('flake-broken', version)).find((event) => event.action === 'start' && event.type === 105);
    const drvPath = drv?.action === 'start' ? String(drv.fields[0]) : '';
    const tail = tracker.tailOf(drvPath);
    expect(tail).toHaveLength(30);
    expect(tail[tail.length - 1]).toBe('error: unit 41 does not compile');
    expect(tail[tail.length - 2]).toBe('compiling unit 40');
  });
});

describe('BuildActivityTracker with downloads', () => {
  // Hand-written from the shapes in Nix's logging.hh: a substitution with a file transfer.
  const lines = [
    '@nix {"action":"start","id":1,"level":0,"parent":0,"text":"","type":102}',
    '@nix {"action":"start","id":2,"level":0,"parent":0,"text":"","type":103}',
    '@nix {"action":"result","fields":[0,3,0,0],"id":2,"type":105}',
    '@nix {"action":"start","fields":["/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-hello-2.12","https://cache.example"],"id":3,"level":4,"parent":0,"text":"copying path","type":108}',
    '@nix {"action":"start","fields":["https://cache.example/nar/x.nar.xz"],"id":4,"level":4,"parent":3,"text":"downloading","type":101}',
    '@nix {"action":"result","fields":[1048576,4194304,0,0],"id":4,"type":105}',
  ];

  it('reports the path being fetched and the bytes so far', () => {
    const tracker = new BuildActivityTracker();
    for (const line of lines) tracker.apply(parseNixLogLine(line));
    const progress = describeProgress(tracker.snapshot());
    expect(progress.message).toBe('Downloading 1/3: https://cache.example/nar/x.nar.xz (1.0 MiB of 4.0 MiB)');
    expect(progress.percentage).toBe(0);
    tracker.apply(parseNixLogLine('@nix {"action":"stop","id":4}'));
    expect(describeProgress(tracker.snapshot()).message).toBe('Downloading 1/3: hello-2.12 (1.0 MiB of 1.0 MiB)');
    tracker.apply(parseNixLogLine('@nix {"action":"result","fields":[1,3,0,0],"id":2,"type":105}'));
    expect(describeProgress(tracker.snapshot()).percentage).toBe(33);
  });

  it('says it is evaluating before anything is realised', () => {
    expect(describeProgress(new BuildActivityTracker().snapshot())).toEqual({ message: 'Evaluating…' });
  });

  it('formats byte counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MiB');
  });
});
