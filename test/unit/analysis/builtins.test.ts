import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinLookup, builtinSignature, defaultBuiltins, mergeBuiltinTables, type BuiltinsTable } from '../../../server/src/analysis/builtins';
import { dumpBuiltins, installedBuiltins, parseBuiltinsDump, resolveManualLinks } from '../../../server/src/nix/builtinsDump';
import { ProgramNotFoundError, type ProcessResult } from '../../../server/src/nix/process';
import { contextAt } from '../../../server/src/analysis/context';
import { BUILTIN_DOCS_SOURCE, hoverFor } from '../../../server/src/features/hover';
import { nixInstallations } from '../../support/nixInstallations';
import { parseNix, withCursor } from '../../support/parse';

describe('the committed builtins table', () => {
  const lookup = builtinLookup();

  it('describes functions with arguments', () => {
    expect(lookup.attribute('map')).toMatchObject({ kind: 'function', args: ['f', 'list'], global: 'map' });
    expect(lookup.attribute('attrNames')).toMatchObject({ kind: 'function', global: '__attrNames' });
    expect(builtinSignature(lookup.attribute('map')!)).toBe('map f list');
    expect(builtinSignature(lookup.attribute('attrNames')!)).toBe('builtins.attrNames set');
  });

  it('knows the global names, and that most builtins need the builtins. prefix', () => {
    for (const name of ['toString', 'map', 'import', 'throw', 'abort', 'baseNameOf', 'dirOf', 'derivation', 'fetchTarball', 'fetchGit', 'isNull', 'removeAttrs', 'true', 'false', 'null', '__currentSystem', 'builtins', '__curPos']) {
      expect(lookup.isGlobal(name), name).toBe(true);
    }
    for (const name of ['attrNames', 'currentSystem', 'add', 'fetchurl']) expect(lookup.isGlobal(name), name).toBe(false);
  });

  it('describes constants', () => {
    expect(lookup.attribute('currentSystem')).toMatchObject({ kind: 'constant', impureOnly: true, global: '__currentSystem' });
    expect(lookup.attribute('true')).toMatchObject({ kind: 'constant', global: 'true' });
  });

  it("carries facts only, no text of Nix's manual: documentation comes from the installed Nix", () => {
    const raw = readFileSync(join(__dirname, '../../../server/src/analysis/builtinsTable.json'), 'utf8');
    expect(raw).not.toMatch(/"doc"/);
    expect(Object.values(defaultBuiltins.builtins).every((b) => b.doc === '')).toBe(true);
    expect(defaultBuiltins.fromInstalledNix).toBeFalsy();
    expect(Object.keys(defaultBuiltins.builtins).length).toBeGreaterThan(100);
  });
});

describe('reading a dump', () => {
  it('reads the Nix 2.4–2.19 format (functions only)', () => {
    const table = parseBuiltinsDump(JSON.stringify({ add: { args: ['e1', 'e2'], arity: 2, doc: 'Return the sum.' } }), 'nix (Nix) 2.8.0');
    expect(table).toEqual({ source: 'nix (Nix) 2.8.0', builtins: { add: { name: 'add', args: ['e1', 'e2'], doc: 'Return the sum.', kind: 'function' } } });
  });

  it('reads the newer format with constants, flat or wrapped', () => {
    const flat = parseBuiltinsDump(JSON.stringify({ storeDir: { doc: 'The store.', type: 'string' }, currentTime: { doc: 'Now.', 'impure-only': true } }), 'x');
    expect(flat.builtins.storeDir).toMatchObject({ kind: 'constant', type: 'string' });
    expect(flat.builtins.currentTime).toMatchObject({ impureOnly: true });
    const wrapped = parseBuiltinsDump(JSON.stringify({ builtins: { map: { args: ['f', 'list'], doc: 'Map.' } }, constants: { true: { doc: 'Yes.', type: 'Boolean' } } }), 'x');
    expect(Object.keys(wrapped.builtins).sort()).toEqual(['map', 'true']);
  });

  it('rejects what is not a dump with a readable message', () => {
    expect(() => parseBuiltinsDump('not json', 'x')).toThrow(/not valid JSON/);
    expect(() => parseBuiltinsDump('[1]', 'x')).toThrow(/not a JSON object/);
    expect(() => parseBuiltinsDump('{}', 'x')).toThrow(/no builtins/);
  });

  it('rewrites manual links', () => {
    expect(resolveManualLinks('[types](@docroot@/language/types.md#type-path)')).toBe('[types](https://nix.dev/manual/nix/latest/language/types.html#type-path)');
    expect(resolveManualLinks('[`map`](#builtins-map)')).toBe('[`map`](https://nix.dev/manual/nix/latest/language/builtins.html#builtins-map)');
    expect(resolveManualLinks('[ops](./operators.md#has-attribute)')).toBe('[ops](https://nix.dev/manual/nix/latest/language/operators.html#has-attribute)');
    expect(resolveManualLinks('[env](../command-ref/nix-env.md#x)')).toBe('[env](https://nix.dev/manual/nix/latest/command-ref/nix-env.html#x)');
    expect(resolveManualLinks('[w](https://example.org/a.md)')).toBe('[w](https://example.org/a.md)');
  });

  it('merges an installed table over the committed one, keeping what the dump cannot know', () => {
    const installed: BuiltinsTable = {
      source: 'nix (Nix) 9.9',
      builtins: {
        map: { name: 'map', args: ['fn', 'xs'], doc: 'New docs.', kind: 'function' },
        brandNew: { name: 'brandNew', args: ['x'], doc: 'New.', kind: 'function' },
      },
    };
    const merged = mergeBuiltinTables(defaultBuiltins, installed);
    expect(merged.source).toBe('nix (Nix) 9.9');
    expect(merged.builtins.map).toMatchObject({ args: ['fn', 'xs'], doc: 'New docs.', global: 'map' });
    expect(merged.builtins.brandNew!.global).toBeUndefined();
    expect(merged.builtins.attrNames).toEqual(defaultBuiltins.builtins.attrNames);
    expect(builtinLookup(merged).isGlobal('map')).toBe(true);
  });
});

describe('asking a Nix for its builtins', () => {
  const fake = (results: Record<string, Partial<ProcessResult>>) => async (_program: string, args: readonly string[]): Promise<ProcessResult> => ({
    code: 1,
    signal: null,
    timedOut: false,
    cancelled: false,
    stdout: '',
    stderr: '',
    ...results[args[0]!],
  });

  it('falls back to __dump-builtins when __dump-language is unknown', async () => {
    const run = fake({
      '__dump-language': { code: 1, stderr: "error: '__dump-language' is not a recognised command" },
      '__dump-builtins': { code: 0, stdout: JSON.stringify({ add: { args: ['a', 'b'], doc: 'Sum.' } }) },
      '--version': { code: 0, stdout: 'nix (Nix) 2.8.0\n' },
    });
    const result = await dumpBuiltins('nix', {}, run);
    expect(result.command).toBe('__dump-builtins');
    expect(result.table.source).toBe('nix (Nix) 2.8.0');
  });

  it('explains when neither command works', async () => {
    const run = fake({ '__dump-language': { stderr: "error: '__dump-language' is not a recognised command" }, '__dump-builtins': { stderr: 'error: nope' } });
    await expect(dumpBuiltins('nix', {}, run)).rejects.toThrow(/cannot describe its builtins.*not a recognised command.*nope/);
  });

  it('falls back to the committed table, with the reason, when Nix cannot be asked', async () => {
    const missing = await installedBuiltins(defaultBuiltins, '/nonexistent/nix-nur-test/nix');
    expect(missing.table).toBe(defaultBuiltins);
    expect(missing.error).toMatch(/not found/);
    const broken = await installedBuiltins(defaultBuiltins, 'nix', {}, fake({ '__dump-language': { code: 0, stdout: '{ nope' } }));
    expect(broken.table).toBe(defaultBuiltins);
    expect(broken.error).toMatch(/not valid JSON/);
  });

  it('reports a missing nix as ProgramNotFoundError', async () => {
    await expect(dumpBuiltins('/nonexistent/nix-nur-test/nix')).rejects.toBeInstanceOf(ProgramNotFoundError);
  });

  for (const nix of nixInstallations()) {
    it(`reads the builtins of the real Nix ${nix.version}`, async () => {
      const { table, command } = await dumpBuiltins(`${nix.binDir}/nix`, { env: nix.env });
      expect(command).toBe(nix.version.startsWith('2.8') ? '__dump-builtins' : '__dump-language');
      expect(table.source).toContain(nix.version);
      expect(table.builtins.map).toMatchObject({ kind: 'function', args: ['f', 'list'] });
      expect(table.builtins.map!.doc.length).toBeGreaterThan(20);
      expect(Object.keys(table.builtins).length).toBeGreaterThan(80);
      const { table: merged, error } = await installedBuiltins(defaultBuiltins, `${nix.binDir}/nix`, { env: nix.env });
      expect(error).toBeUndefined();
      expect(merged.source).toContain(nix.version);
      expect(builtinLookup(merged).isGlobal('map')).toBe(true);
      expect(builtinLookup(merged).isGlobal('attrNames')).toBe(false);
      if (command === '__dump-language') expect(table.builtins.currentSystem).toMatchObject({ kind: 'constant' });
    });
  }

  it('has at least the host Nix to test against', () => {
    expect(nixInstallations().length).toBeGreaterThan(0);
  });
});

describe('hover on a builtin', () => {
  const hoverText = async (marked: string, table: BuiltinsTable) => {
    const { text, offset } = withCursor(marked);
    const context = contextAt(await parseNix(text), text, offset, { builtins: table });
    const hover = hoverFor(context, { knowledge: undefined, builtins: table });
    return (hover?.contents as { value: string } | undefined)?.value ?? '';
  };

  it('without Nix, shows the signature and says where the documentation comes from', async () => {
    const text = await hoverText('builtins.attrN|ames { }', defaultBuiltins);
    expect(text).toContain('builtins.attrNames set');
    expect(text).toContain(BUILTIN_DOCS_SOURCE);
  });

  it("with Nix, shows the installed Nix's documentation", async () => {
    const installed = parseBuiltinsDump(JSON.stringify({ attrNames: { args: ['set'], arity: 1, doc: 'Return the names of the attributes in the set *set*.' } }), 'nix (Nix) 2.8.0');
    const text = await hoverText('builtins.attrN|ames { }', mergeBuiltinTables(defaultBuiltins, installed));
    expect(text).toContain('Return the names of the attributes');
    expect(text).not.toContain(BUILTIN_DOCS_SOURCE);
  });
});
