import { describe, expect, it } from 'vitest';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-types';
import { readFlakeLock, type FlakeLockStatus } from '../../../server/src/flake/flakeLock';
import { flakeCodeLenses } from '../../../server/src/features/flake/flakeCodeLens';
import { FlakeDiagnosticCode, flakeDiagnostics } from '../../../server/src/features/flake/flakeDiagnostics';
import { flakeHover } from '../../../server/src/features/flake/flakeHover';
import { parseFlake, readFixture, textAt, withCursor } from './nixSource';

const now = new Date('2026-11-22T12:00:00Z');
const uri = 'file:///project/project/flake.nix';
const fixtureLock = () => readFlakeLock(readFixture('all-forms', 'flake.lock'));

async function hoverAt(marked: string, lock: FlakeLockStatus = fixtureLock()) {
  const { content, position } = withCursor(marked);
  const { syntax } = await parseFlake(content);
  const hover = flakeHover({ syntax, lock, position, now });
  return { hover, text: (hover?.contents as MarkupContent | undefined)?.value ?? '', content };
}

describe('hover on inputs', () => {
  const fixture = readFixture('all-forms', 'flake.nix');

  it('shows the locked commit, its date and age, ref, narHash and the forge link', async () => {
    const { hover, text, content } = await hoverAt(fixture.replace('inputs.nixpkgs.url', 'inputs.nix‸pkgs.url'));
    expect(textAt(content, hover!.range!)).toBe('nixpkgs');
    expect(text).toContain('**nixpkgs** · `github:NixOS/nixpkgs/nixos-unstable`');
    expect(text).toContain('[`4444444`](https://github.com/NixOS/nixpkgs/commit/4444444444444444444444444444444444444444)');
    expect(text).toContain('`4444444444444444444444444444444444444444`');
    expect(text).toContain('date: 2026-10-14 (5 weeks ago)');
    expect(text).toContain('ref: `nixos-unstable`');
    expect(text).toContain('narHash: `sha256-DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD=`');
    expect(text).toContain('original: `github:NixOS/nixpkgs/nixos-unstable`');
    expect(text).toContain('locked: `github:NixOS/nixpkgs/4444444444444444444444444444444444444444`');
  });

  it('works on the URL too, and explains follows and git inputs', async () => {
    const onUrl = await hoverAt(fixture.replace('"github:numtide/flake-utils"', '"github:numtide/‸flake-utils"'));
    expect(onUrl.text).toContain('**flake-utils**');
    expect(onUrl.text).toContain('date: 2026-09-21 (8 weeks ago)');

    const follows = await hoverAt(fixture.replace('pkgs-follow.follows', 'pkgs-fo‸llow.follows'));
    expect(follows.text).toContain('follows `nixpkgs`');
    expect(follows.text).toContain('resolves through `nixpkgs`');
    expect(follows.text).toContain('4444444');

    const git = await hoverAt(fixture.replace('"my-src" = {', '"my-‸src" = {'));
    expect(git.text).toContain('Not a flake');
    expect(git.text).toContain('ref: `main`');
    expect(git.text).toContain('`3333333`');
    expect(git.text).not.toContain('](http');
  });

  it('says when an input is not locked, and when flake.lock is unreadable', async () => {
    const implicit = await hoverAt(fixture.replace('flake-utils, registry-only', 'flake-utils, registry‸-only'));
    expect(implicit.text).toContain('from the flake registry');
    expect(implicit.text).toContain('Not locked yet');
    const noLock = await hoverAt(fixture.replace('inputs.nixpkgs.url', 'inputs.nix‸pkgs.url'), { state: 'missing' });
    expect(noLock.text).toContain('there is no flake.lock');
    const invalid = await hoverAt(fixture.replace('inputs.nixpkgs.url', 'inputs.nix‸pkgs.url'), readFlakeLock('{'));
    expect(invalid.text).toContain('flake.lock cannot be read: flake.lock is not valid JSON');
  });

  it('has nothing to say elsewhere', async () => {
    expect((await hoverAt(fixture.replace('description =', 'descr‸iption ='))).hover).toBeUndefined();
  });
});

describe('code lenses on inputs', () => {
  it('shows what each input is locked to, with Update and Pin, or Unpin when pinned', async () => {
    const { syntax } = await parseFlake(readFixture('all-forms', 'flake.nix'));
    const lenses = flakeCodeLenses({ syntax, lock: fixtureLock(), flakeUri: uri, now });
    const byLine = new Map<number, string[]>();
    for (const lens of lenses) byLine.set(lens.range.start.line, [...(byLine.get(lens.range.start.line) ?? []), lens.command!.title]);
    const titlesFor = (name: string) => {
      const lens = lenses.find((l) => (l.command?.arguments?.[0] as { input?: string } | undefined)?.input === name);
      return byLine.get(lens!.range.start.line);
    };
    expect(titlesFor('nixpkgs')).toEqual(['locked 4444444 · 2026-10-14 (5 weeks ago)', 'Update', 'Pin']);
    expect(titlesFor('pinned')).toEqual(['locked 89abcde · 2025-10-09 (1 year ago)', 'Unpin']);
    expect(titlesFor('registry-only')).toEqual(['not locked yet', 'Lock']);
    expect(titlesFor('my-src')).toEqual(['locked 3333333 · 2026-05-28 (5 months ago)', 'Update', 'Pin']);
    expect(lenses.find((lens) => lens.command?.title.startsWith('follows nixpkgs'))?.command?.title).toBe(
      'follows nixpkgs · locked 4444444 · 2026-10-14 (5 weeks ago)',
    );
    const update = lenses.find((lens) => lens.command?.title === 'Update')!;
    expect(update.command).toEqual({ title: 'Update', command: 'nixNur.flake.update', arguments: [{ flake: uri, input: 'nixpkgs' }] });
    const pin = lenses.find((lens) => lens.command?.title === 'Pin')!;
    expect(pin.command?.command).toBe('nixNur.flake.pin');
    expect(lenses.find((lens) => lens.command?.title === 'Unpin')?.command?.command).toBe('nixNur.flake.unpin');
    const all = lenses.find((lens) => lens.command?.title === 'Update all inputs')!;
    expect(all.command?.arguments).toEqual([{ flake: uri }]);
    // Anchored on the `inputs = { … }` block, which has a line of its own.
    expect(byLine.get(all.range.start.line)).toEqual(['Update all inputs']);
  });

  it('offers no Pin for inputs that cannot name a commit', async () => {
    const { syntax } = await parseFlake('{ inputs.a.url = "path:/srv/a"; inputs.b.url = "https://h/x.tar.gz"; outputs = _: { }; }');
    const lock = readFlakeLock(
      JSON.stringify({
        nodes: {
          root: { inputs: { a: 'a', b: 'b' } },
          a: { locked: { type: 'path', path: '/srv/a', narHash: 'sha256-abcdefghijklmnopqrstuvwxyz', lastModified: 1790000000 } },
          b: { locked: { type: 'tarball', url: 'https://h/x.tar.gz', narHash: 'sha256-zyxwvutsrqponmlkjihgfedcba' } },
        },
        root: 'root',
        version: 7,
      }),
    );
    const titles = flakeCodeLenses({ syntax, lock, flakeUri: uri, now }).map((lens) => lens.command?.title);
    expect(titles).toEqual(['locked sha256-abcdefg… · 2026-09-21 (8 weeks ago)', 'Update', 'locked sha256-zyxwvut…', 'Update', 'Update all inputs']);
  });
});

describe('diagnostics between flake.nix and flake.lock', () => {
  const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code).sort();
  const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

  it('finds the unlocked input, the unused lock entry and the pinned commit the lock disagrees with', async () => {
    const content = readFixture('all-forms', 'flake.nix');
    const { syntax } = await parseFlake(content);
    const diagnostics = flakeDiagnostics({ syntax, lock: fixtureLock() });
    expect(codes(diagnostics)).toEqual([FlakeDiagnosticCode.inputNotLocked, FlakeDiagnosticCode.lockEntryUnused, FlakeDiagnosticCode.pinnedRevisionMismatch].sort());
    const byCode = (code: string) => diagnostics.find((d) => d.code === code)!;
    expect(textAt(content, byCode(FlakeDiagnosticCode.inputNotLocked).range)).toBe('registry-only');
    expect(byCode(FlakeDiagnosticCode.lockEntryUnused).message).toContain("'stale'");
    expect(textAt(content, byCode(FlakeDiagnosticCode.pinnedRevisionMismatch).range)).toBe('"github:NixOS/nixpkgs/0123456789abcdef0123456789abcdef01234567"');
    expect(byCode(FlakeDiagnosticCode.pinnedRevisionMismatch).message).toContain('0123456');
    expect(byCode(FlakeDiagnosticCode.pinnedRevisionMismatch).message).toContain('89abcde');
    for (const d of diagnostics) expect(d.source).toBe('nix-nur');
  });

  it('finds follows to unknown inputs and overrides of inputs that do not exist', async () => {
    const content = readFixture('all-forms', 'flake.nix')
      .replace('pkgs-follow.follows = "nixpkgs";', 'pkgs-follow.follows = "nixpkgz";')
      .replace('systems.follows = "flake-utils/systems";', 'systems.follows = "flake-utils/sistems";')
      .replace('nur.inputs.nixpkgs.follows', 'nur.inputs.nixpkgz.follows');
    const { syntax } = await parseFlake(content);
    const diagnostics = flakeDiagnostics({ syntax, lock: fixtureLock() });
    const follows = diagnostics.filter((d) => d.code === FlakeDiagnosticCode.followsUnknown);
    expect(follows.map((d) => textAt(content, d.range)).sort()).toEqual(['"flake-utils/sistems"', '"nixpkgz"']);
    expect(follows.find((d) => messageOf(d).includes('nixpkgz'))!.message).toContain("no input 'nixpkgz'");
    const override = diagnostics.find((d) => d.code === FlakeDiagnosticCode.overrideUnknown)!;
    expect(textAt(content, override.range)).toBe('nixpkgz');
    expect(override.message).toContain('its inputs: nixpkgs, flake-parts');
  });

  it('reports invalid URLs and an unreadable flake.lock, and everything as unlocked without a lock', async () => {
    const { syntax } = await parseFlake('{\n  inputs.a.url = "github:only-owner";\n  inputs.b.url = "nixpkgs";\n  outputs = _: { };\n}\n');
    const invalid = flakeDiagnostics({ syntax, lock: readFlakeLock('{"version": 3}') });
    expect(codes(invalid)).toEqual([FlakeDiagnosticCode.invalidUrl, FlakeDiagnosticCode.lockInvalid].sort());
    expect(invalid.find((d) => d.code === FlakeDiagnosticCode.lockInvalid)!.message).toContain('version 3');
    const missing = flakeDiagnostics({ syntax, lock: { state: 'missing' } });
    expect(codes(missing)).toEqual([FlakeDiagnosticCode.inputNotLocked, FlakeDiagnosticCode.inputNotLocked, FlakeDiagnosticCode.invalidUrl].sort());
  });

  it('stays quiet about unused lock entries while the file does not parse', async () => {
    const { syntax } = await parseFlake('{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";\n  outputs = { self, nixpkgs }: {\n');
    const diagnostics = flakeDiagnostics({ syntax, lock: fixtureLock() });
    expect(diagnostics.filter((d) => d.code === FlakeDiagnosticCode.lockEntryUnused)).toEqual([]);
  });
});
