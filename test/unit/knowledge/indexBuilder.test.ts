import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { converterFor } from '../../../server/src/knowledge/buildJob';
import { decompressedChunks, detectCompression } from '../../../server/src/knowledge/compression';
import { KnowledgeInputError } from '../../../server/src/knowledge/errors';
import { buildIndex } from '../../../server/src/knowledge/indexBuilder';
import { IndexFile, readIndexHeader } from '../../../server/src/knowledge/indexFile';
import { PackageIndex } from '../../../server/src/knowledge/packageIndex';
import { mendDanglingValues } from '../../../server/src/knowledge/recordJson';
import { buildFromBytes, chunksOf, fixture, removeTemporaryDirectories, temporaryDirectory } from './testSetup';

afterAll(removeTemporaryDirectories);

const packagesJson = readFileSync(fixture('packages.json'));

describe('building a package index', () => {
  it('keeps what hover needs, normalised, from the nix-env shape', async () => {
    const { file, result, warnings } = await buildFromBytes('packages', packagesJson);
    expect(warnings).toEqual([]);
    expect(result.header.count).toBe(7);
    const index = new PackageIndex(file);
    const hello = index.lookup(['hello'])!;
    expect(hello).toMatchObject({
      path: ['hello'],
      name: 'hello-2.12.1',
      pname: 'hello',
      version: '2.12.1',
      description: 'Program that produces a familiar, friendly greeting',
      longDescription: 'GNU Hello is a program that prints "Hello, world!" when you run it.\nIt is fully customizable.',
      homepage: 'https://www.gnu.org/software/hello/manual/',
      mainProgram: 'hello',
      position: 'pkgs/by-name/he/hello/package.nix:57',
      license: [
        {
          spdxId: 'GPL-3.0-or-later',
          shortName: 'gpl3Plus',
          fullName: 'GNU General Public License v3.0 or later',
          url: 'https://spdx.org/licenses/GPL-3.0-or-later.html',
          free: true,
        },
      ],
      maintainers: [{ name: 'Ada Example', github: 'ada', email: 'ada@example.org' }],
      platforms: { count: 5, kernels: ['darwin', 'freebsd', 'linux'], main: ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'], patterns: 0 },
    });
    // Dropped while indexing: CPE identifiers, the duplicate maintainer list, install outputs.
    expect(hello).not.toHaveProperty('identifiers');
    expect(hello).not.toHaveProperty('outputs');
    expect(hello.broken).toBeUndefined();

    const requests = index.lookup(['python313Packages', 'requests'])!;
    expect(requests.outputs).toEqual(['dist', 'out']);
    expect(requests.platforms).toEqual({ count: 2, kernels: ['darwin', 'linux'], main: ['x86_64-linux'], patterns: 1 });
    expect(requests.maintainers).toBeUndefined();

    expect(index.lookup(['steam'])).toMatchObject({ unfree: true, license: [{ free: false, fullName: 'Unfree', shortName: 'unfree' }] });
    expect(index.lookup(['olsrd'])).toMatchObject({
      broken: true,
      insecure: true,
      knownVulnerabilities: ['CVE-2023-0001: example'],
      license: [{ fullName: 'bsd3' }],
    });
  });

  it('reads the same records from compact, pretty, wrapped, gzip and brotli input', async () => {
    const expected = new PackageIndex((await buildFromBytes('packages', packagesJson)).file);
    const compact = Buffer.from(JSON.stringify(JSON.parse(packagesJson.toString())));
    const wrapped = readFileSync(fixture('packages-wrapped.json'));
    const variants = [compact, wrapped, gzipSync(packagesJson), brotliCompressSync(wrapped)];
    for (const bytes of variants) {
      const output = join(temporaryDirectory(), 'p.nnix');
      await buildIndex(decompressedChunks(chunksOf(bytes, 97)), {
        converter: converterFor('packages'),
        output,
        identity: { origin: 'file', location: 'x' },
      });
      const index = new PackageIndex(IndexFile.open(output));
      for (const path of [['hello'], ['python313Packages', 'requests'], ['ripgrep'], ['olsrd']]) {
        expect(index.lookup(path)).toEqual(expected.lookup(path));
      }
      expect(index.count).toBe(7);
    }
  });

  it('keeps a package whose meta attribute threw (Nix 2.8) and skips a dangling package', async () => {
    const { file, warnings } = await buildFromBytes('packages', readFileSync(fixture('nix-2.8-dangling.json')), { chunkSize: 13 });
    const index = new PackageIndex(file);
    expect(index.lookup(['broken-meta'])).toMatchObject({ description: 'Has a meta attribute that fails', version: '0.1' });
    expect(index.lookup(['broken-meta'])?.homepage).toBeUndefined();
    expect(index.lookup(['gone'])).toBeUndefined();
    expect(index.lookup(['hello'])?.version).toBe('2.12.1');
    expect(warnings).toEqual([
      'package "broken-meta": homepage could not be evaluated; left out',
      expect.stringMatching(/^package "gone" at byte \d+ has no value \(its evaluation failed\); skipped$/),
    ]);
    expect(file.header.warningCount).toBe(2);
  });

  it('skips a record that is not JSON and names it with its byte offset', async () => {
    const text = '{ "good": { "pname": "good" }, "bad": { "pname": tru }, "also": { "pname": "also" } }';
    const { file, warnings } = await buildFromBytes('packages', Buffer.from(text));
    expect(new PackageIndex(file).children([]).items.map((i) => i.name)).toEqual(['also', 'good']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^package "bad" at byte ${text.indexOf('{ "pname": tru')} is not valid JSON`));
  });

  it('refuses a file cut short and leaves the previous index in place', async () => {
    const dir = temporaryDirectory();
    const { output } = await buildFromBytes('packages', packagesJson, { dir });
    const before = readFileSync(output);
    const cut = packagesJson.subarray(0, Math.floor(packagesJson.length / 2));
    const attempt = buildIndex(chunksOf(cut, 4096), {
      converter: converterFor('packages'),
      output,
      identity: { origin: 'file', location: 'cut' },
    });
    await expect(attempt).rejects.toThrowError(KnowledgeInputError);
    await expect(attempt).rejects.toThrowError(/ends early at byte \d+/);
    expect(readFileSync(output).equals(before)).toBe(true);
    expect(readIndexHeader(output).identity.location).toBe('test');
  });

  it('refuses damaged compressed input', async () => {
    const compressed = brotliCompressSync(packagesJson);
    const output = join(temporaryDirectory(), 'x.nnix');
    const attempt = buildIndex(decompressedChunks(chunksOf(compressed.subarray(0, compressed.length - 40), 1000), 'packages.json.br'), {
      converter: converterFor('packages'),
      output,
      identity: { origin: 'file', location: 'x' },
    });
    await expect(attempt).rejects.toThrowError(KnowledgeInputError);
    expect(existsSync(output)).toBe(false);
  });

  it('refuses input without a single record', async () => {
    await expect(buildFromBytes('packages', Buffer.from('{ "version": "2" }'))).rejects.toThrowError(/no package records found/);
  });

  it('keeps the first of repeated names', async () => {
    const { file } = await buildFromBytes('packages', Buffer.from('{ "a": { "version": "1" }, "a": { "version": "2" } }'));
    expect(new PackageIndex(file).lookup(['a'])?.version).toBe('1');
  });
});

describe('compression detection', () => {
  it('knows gzip by its magic bytes and plain JSON by its first character', () => {
    expect(detectCompression(gzipSync('{}'), 'x.json')).toBe('gzip');
    expect(detectCompression(Buffer.from('  {"a":1}'), 'x.br')).toBe('plain');
    expect(detectCompression(brotliCompressSync('{"a":1}'), 'packages.json.br')).toBe('brotli');
  });
});

describe('mending dangling values', () => {
  it('turns dangling values into null outside strings only', () => {
    const mended = mendDanglingValues('{"a": "x: }", "b": \n }');
    expect(JSON.parse(mended.text)).toEqual({ a: 'x: }', b: null });
    expect(mended.dangling).toEqual(['b']);
  });

  it('drops a trailing comma left behind', () => {
    expect(JSON.parse(mendDanglingValues('{"a": [1, 2, ], "b": 1, }').text)).toEqual({ a: [1, 2], b: 1 });
  });
});

describe('the file written', () => {
  it('is replaced atomically: no temporary files remain', async () => {
    const dir = temporaryDirectory();
    await buildFromBytes('packages', packagesJson, { dir });
    await buildFromBytes('packages', packagesJson, { dir });
    expect(readdirSync(dir)).toEqual(['packages.nnix']);
  });
});
