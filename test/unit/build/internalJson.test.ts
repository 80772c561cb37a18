import { describe, expect, it } from 'vitest';
import { ActivityType, NixLogStreamParser, parseNixLog, parseNixLogLine, ResultType, type NixLogEvent } from '../../../server/src/nix/internalJson';
import { recordedStderr, recordedVersions } from './recordings';
import { stripAnsi } from '../../../server/src/nix/ansi';

describe('parseNixLogLine', () => {
  it('reads start, stop and result records', () => {
    expect(parseNixLogLine('@nix {"action":"start","fields":["/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x.drv","",1,1],"id":5,"level":3,"parent":0,"text":"building x","type":105}')).toEqual({
      action: 'start',
      id: '5',
      type: ActivityType.Build,
      level: 3,
      text: 'building x',
      parent: '0',
      fields: ['/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x.drv', '', 1, 1],
    });
    expect(parseNixLogLine('@nix {"action":"stop","id":5}')).toEqual({ action: 'stop', id: '5' });
    expect(parseNixLogLine('@nix {"action":"result","fields":["hello"],"id":5,"type":101}')).toEqual({
      action: 'result',
      id: '5',
      type: ResultType.BuildLogLine,
      fields: ['hello'],
    });
  });

  it('keeps activity ids exact even beyond 2^53', () => {
    // pid 4194303 << 32: the ids of two consecutive activities must stay distinct.
    const a = parseNixLogLine('@nix {"action":"stop","id":18014394117160960}');
    const b = parseNixLogLine('@nix {"action":"stop","id":18014394117160961}');
    expect(a).toEqual({ action: 'stop', id: '18014394117160960' });
    expect(b).toEqual({ action: 'stop', id: '18014394117160961' });
  });

  it('does not mistake an "id" inside a message for a key', () => {
    const event = parseNixLogLine('@nix {"action":"msg","level":3,"msg":"value {\\"id\\":12345678901234567890}"}');
    expect(event).toMatchObject({ action: 'msg', msg: 'value {"id":12345678901234567890}' });
  });

  it('reads error messages with their position, stripping the line:column Nix 2.26 appends to the file', () => {
    const event = parseNixLogLine(
      '@nix {"action":"msg","column":17,"file":"/nix/store/lascf6ppk84j1192xklgy22rd4dp3f0g-source/pkgs/evalfail.nix:6:17","level":0,"line":6,"msg":"error: x","raw_msg":"x"}',
    );
    expect(event).toMatchObject({
      action: 'msg',
      level: 0,
      rawMessage: 'x',
      position: { file: '/nix/store/lascf6ppk84j1192xklgy22rd4dp3f0g-source/pkgs/evalfail.nix', line: 6, column: 17 },
    });
  });

  it('has no position for errors without one, and skips «none» trace frames', () => {
    const event = parseNixLogLine('@nix {"action":"msg","column":null,"file":null,"level":0,"line":null,"msg":"e","raw_msg":"e","trace":[{"column":0,"file":"«none»:0","line":0,"raw_msg":""}]}');
    expect(event).toMatchObject({ action: 'msg', position: undefined, trace: [{ rawMessage: '', position: undefined }] });
  });

  it('returns anything else as text, losing nothing', () => {
    expect(parseNixLogLine('warning: plain text')).toEqual({ action: 'text', text: 'warning: plain text' });
    expect(parseNixLogLine('@nix {not json')).toEqual({ action: 'text', text: '@nix {not json' });
    expect(parseNixLogLine('@nix [1,2]')).toEqual({ action: 'text', text: '@nix [1,2]' });
    expect(parseNixLogLine('@nix {"action":"somethingNew"}')).toEqual({ action: 'text', text: '@nix {"action":"somethingNew"}' });
  });
});

describe('NixLogStreamParser', () => {
  it('reassembles lines and UTF-8 characters split across chunks', () => {
    const events: NixLogEvent[] = [];
    const parser = new NixLogStreamParser((event) => events.push(event));
    const bytes = Buffer.from('@nix {"action":"result","fields":["gr\u00fc\u00df dich"],"id":1,"type":101}\nlast line without newline', 'utf8');
    const split = bytes.indexOf(Buffer.from('\u00fc', 'utf8')) + 1; // inside the two-byte ü
    parser.write(bytes.subarray(0, split));
    expect(events).toEqual([]);
    parser.write(bytes.subarray(split));
    expect(events).toEqual([{ action: 'result', id: '1', type: 101, fields: ['gr\u00fc\u00df dich'] }]);
    parser.end();
    expect(events[1]).toEqual({ action: 'text', text: 'last line without newline' });
  });
});

describe('stripAnsi', () => {
  it('removes the colours Nix uses', () => {
    expect(stripAnsi("\u001b[31;1merror:\u001b[0m attribute '\u001b[35;1mx\u001b[0m' missing")).toBe("error: attribute 'x' missing");
  });
});

describe.each(recordedVersions())('recorded streams of Nix %s', (version) => {
  it.each(['flake-chain', 'flake-broken', 'flake-evalfail', 'flake-fixed', 'legacy-chain', 'legacy-fixed', 'legacy-evalfail'])('%s is all JSON records', (scenario) => {
    const events = parseNixLog(recordedStderr(scenario, version));
    expect(events.length).toBeGreaterThan(1);
    expect(events.filter((event) => event.action === 'text')).toEqual([]);
  });

  it('shows both builds of the chain with their derivation paths', () => {
    const events = parseNixLog(recordedStderr('flake-chain', version));
    const builds = events.filter((event) => event.action === 'start' && event.type === ActivityType.Build);
    expect(builds.map((event) => (event.action === 'start' ? event.fields[0] : ''))).toEqual([
      expect.stringMatching(/^\/nix\/store\/[0-9a-z]{32}-liba-1\.0\.drv$/),
      expect.stringMatching(/^\/nix\/store\/[0-9a-z]{32}-app-1\.0\.drv$/),
    ]);
    const phases = events.filter((event) => event.action === 'result' && event.type === ResultType.SetPhase);
    expect(phases.map((event) => (event.action === 'result' ? event.fields[0] : ''))).toEqual(['configurePhase', 'buildPhase', 'configurePhase', 'buildPhase']);
  });
});
