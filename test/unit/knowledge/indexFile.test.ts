import { closeSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheStore } from '../../../server/src/knowledge/cacheStore';
import { compareInUtf8Order, IndexContent } from '../../../server/src/knowledge/indexContent';
import { INDEX_FORMAT_VERSION, IndexFile, IndexFormatError, readIndexHeader, writeIndexFile } from '../../../server/src/knowledge/indexFile';
import { removeTemporaryDirectories, temporaryDirectory } from './testSetup';

afterAll(removeTemporaryDirectories);

const headerInput = {
  kind: 'packages' as const,
  identity: { origin: 'url' as const, location: 'https://example.org/p.json', etag: '"abc"' },
  builtAt: 1_700_000_000_000,
  revision: 'nixos-unstable',
  warnings: ['one warning'],
  warningCount: 1,
};

function writeSample(path: string): void {
  const content = new IndexContent(['license']);
  content.add(['zeta'], { version: '1', license: { spdxId: 'MIT' } });
  content.add(['alpha', 'beta'], { version: '2', license: { spdxId: 'MIT' } });
  content.add(['alpha'], { version: '3', license: { spdxId: 'GPL-3.0' } });
  content.add(['alpha-b'], { description: 'naïve – 日本語 🎉' });
  content.add(['emoji🎉'], { version: '4' });
  content.add(['\uffefhigh'], { version: '5' });
  writeIndexFile(path, headerInput, content);
}

describe('the index file format', () => {
  it('round-trips names, records and shared values', () => {
    const path = join(temporaryDirectory(), 'sample.nnix');
    writeSample(path);
    const file = IndexFile.open(path);
    expect(file.header).toMatchObject({ ...headerInput, count: 6, sharedFields: ['license'], sharedCount: 2 });
    // The separator sorts below every other byte: a set's members follow it directly.
    const names = Array.from({ length: file.count }, (_, i) => file.table.pathAt(i).join('.'));
    expect(names).toEqual(['alpha', 'alpha.beta', 'alpha-b', 'emoji🎉', 'zeta', '\uffefhigh']);
    expect(file.record(file.table.indexOf(['alpha', 'beta']))).toEqual({ version: '2', license: { spdxId: 'MIT' } });
    expect(file.record(file.table.indexOf(['zeta']))).toEqual({ version: '1', license: { spdxId: 'MIT' } });
    expect(file.record(file.table.indexOf(['alpha-b']))).toEqual({ description: 'naïve – 日本語 🎉' });
    expect(file.table.indexOf(['emoji🎉'])).toBeGreaterThanOrEqual(0);
    expect(file.table.indexOf(['\uffefhigh'])).toBeGreaterThanOrEqual(0);
    expect(file.table.indexOf(['missing'])).toBe(-1);
    // Shared values are stored once.
    expect(file.recordText(file.table.indexOf(['zeta']))).toBe('{"version":"1","license":0}');
    file.close();
  });

  it('reads several records at once, in the order asked, near or far apart', () => {
    const path = join(temporaryDirectory(), 'many.nnix');
    const content = new IndexContent(['license']);
    // Records of about 1 KiB: 200 of them span more than one run of reads.
    for (let i = 0; i < 200; i++) content.add([`p${String(i).padStart(3, '0')}`], { version: `${i}`, description: `${'x'.repeat(1000)} ${i} – 日本語`, license: { spdxId: i % 2 ? 'MIT' : 'GPL-3.0' } });
    writeIndexFile(path, headerInput, content);
    const file = IndexFile.open(path);
    const entries = [199, 0, 5, 5, 100, 1, 198, 64, 63];
    expect(file.records(entries)).toEqual(entries.map((i) => file.record(i)));
    expect(file.records(Array.from({ length: 200 }, (_, i) => i)).map((r) => (r as { version: string }).version)).toEqual(Array.from({ length: 200 }, (_, i) => `${i}`));
    expect(file.records([])).toEqual([]);
    file.close();
  });

  it('sorts strings exactly as their UTF-8 bytes', () => {
    const words = ['a', '\uffff', '🎉', 'a\u0000b', 'a-b', '\ue000', 'ä'];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(compareInUtf8Order)).toEqual(byBytes);
  });

  it('reads only the header when asked', () => {
    const path = join(temporaryDirectory(), 'sample.nnix');
    writeSample(path);
    expect(readIndexHeader(path).identity.etag).toBe('"abc"');
  });

  it('rejects another format version, so the index is rebuilt', () => {
    const path = join(temporaryDirectory(), 'sample.nnix');
    writeSample(path);
    const fd = openSync(path, 'r+');
    const version = Buffer.alloc(4);
    version.writeUInt32LE(INDEX_FORMAT_VERSION + 1);
    writeSync(fd, version, 0, 4, 8);
    closeSync(fd);
    expect(() => IndexFile.open(path)).toThrowError(IndexFormatError);
    try {
      IndexFile.open(path);
    } catch (error) {
      expect((error as IndexFormatError).versionMismatch).toBe(true);
    }
    expect(new CacheStore(temporaryDirectory()).usableHeader(path)).toBeUndefined();
  });

  it('rejects a truncated or foreign file', () => {
    const dir = temporaryDirectory();
    const path = join(dir, 'sample.nnix');
    writeSample(path);
    truncateSync(path, readFileSync(path).length - 3);
    expect(() => IndexFile.open(path)).toThrowError(/bytes, expected/);
    const foreign = join(dir, 'foreign.nnix');
    writeFileSync(foreign, '{"not": "an index"}');
    expect(() => IndexFile.open(foreign)).toThrowError(/not an index file/);
  });
});
