import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuildJob, revisionInUrl } from '../../../server/src/knowledge/buildJob';
import { CancelledError, DownloadError } from '../../../server/src/knowledge/errors';
import { httpGet } from '../../../server/src/knowledge/httpDownload';
import { IndexFile } from '../../../server/src/knowledge/indexFile';
import { NurRepoIndex } from '../../../server/src/knowledge/nurRepoIndex';
import { removeTemporaryDirectories, sharedData, temporaryDirectory } from './testSetup';
import { startLocalServer, type LocalServer } from './localHttpServer';

let server: LocalServer;
const reposJson = join(sharedData, 'nur', 'repos.json');

beforeAll(async () => {
  server = await startLocalServer({
    '/repos.json': { type: 'file', path: reposJson },
    '/gzipped/repos.json': { type: 'file', path: reposJson, gzipEncoding: true },
    '/channel/repos.json': { type: 'redirect', location: '/release-abc/repos.json' },
    '/release-abc/repos.json': { type: 'file', path: reposJson },
    '/loop': { type: 'redirect', location: '/loop' },
    '/elsewhere': { type: 'redirect', location: 'http://localhost:1/repos.json' },
    '/short/repos.json': { type: 'short', body: readFileSync(reposJson), sendBytes: 20_000 },
    '/missing': { type: 'status', status: 404 },
    '/silent': { type: 'silent' },
  });
});

afterAll(async () => {
  await server.close();
  removeTemporaryDirectories();
});

async function readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('httpGet', () => {
  it('downloads the real repos.json with its ETag and Last-Modified', async () => {
    const result = await httpGet({ url: server.url('/repos.json') });
    if (result.notModified) throw new Error('expected a body');
    expect(result.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(result.lastModified).toBe('Tue, 01 Jul 2025 12:00:00 GMT');
    expect(result.total).toBe(readFileSync(reposJson).length);
    expect((await readAll(result.body)).equals(readFileSync(reposJson))).toBe(true);
  });

  it('answers not modified to a matching conditional request', async () => {
    const first = await httpGet({ url: server.url('/repos.json') });
    if (first.notModified) throw new Error('expected a body');
    first.body.destroy();
    const second = await httpGet({ url: server.url('/repos.json'), etag: first.etag, lastModified: first.lastModified });
    expect(second).toEqual({ notModified: true, finalUrl: server.url('/repos.json') });
    expect(server.requests.at(-1)).toMatchObject({ ifNoneMatch: first.etag, ifModifiedSince: first.lastModified });
  });

  it('undoes a gzip Content-Encoding', async () => {
    const result = await httpGet({ url: server.url('/gzipped/repos.json') });
    if (result.notModified) throw new Error('expected a body');
    expect((await readAll(result.body)).equals(readFileSync(reposJson))).toBe(true);
  });

  it('follows redirects on the same host and reports where they led', async () => {
    const result = await httpGet({ url: server.url('/channel/repos.json') });
    if (result.notModified) throw new Error('expected a body');
    result.body.destroy();
    expect(result.finalUrl).toBe(server.url('/release-abc/repos.json'));
  });

  it('refuses redirects to other hosts and endless redirects', async () => {
    await expect(httpGet({ url: server.url('/elsewhere') })).rejects.toThrowError(/refused a redirect to another host \(localhost:1\)/);
    await expect(httpGet({ url: server.url('/loop'), maxRedirects: 3 })).rejects.toThrowError(/too many redirects/);
  });

  it('reports HTTP errors, unreachable hosts, silence and cancellation clearly', async () => {
    await expect(httpGet({ url: server.url('/missing') })).rejects.toThrowError(/answered HTTP 404/);
    await expect(httpGet({ url: 'http://127.0.0.1:1/x' })).rejects.toThrowError(/refused the connection/);
    await expect(httpGet({ url: server.url('/silent'), idleTimeoutMs: 300 })).rejects.toThrowError(/no data from 127.0.0.1:\d+ for 300 ms/);
    const abort = new AbortController();
    const pending = httpGet({ url: server.url('/silent'), signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toThrowError(CancelledError);
    await expect(httpGet({ url: 'ftp://example.org/x' })).rejects.toThrowError(DownloadError);
  });

  it('fails a body cut short instead of returning part of it', async () => {
    const result = await httpGet({ url: server.url('/short/repos.json') });
    if (result.notModified) throw new Error('expected a body');
    await expect(readAll(result.body)).rejects.toThrowError(/cut short|closed before the body ended|was cut/);
  });
});

describe('a download build job', () => {
  it('indexes the downloaded file, then reuses it on 304', async () => {
    const output = join(temporaryDirectory(), 'nur-repos.nnix');
    const built = await runBuildJob({
      converter: 'nur-repos',
      input: { type: 'url', url: server.url('/repos.json') },
      output,
      identity: { origin: 'url', location: server.url('/repos.json') },
    });
    expect(built.status).toBe('built');
    const index = new NurRepoIndex(IndexFile.open(output));
    expect(index.count).toBe(563);
    expect(index.lookup('mic92')).toEqual({ githubContact: 'Mic92', url: 'https://github.com/Mic92/nur-packages' });
    const header = index.file.header;
    expect(header.identity.etag).toMatch(/^"/);
    const again = await runBuildJob({
      converter: 'nur-repos',
      input: { type: 'url', url: server.url('/repos.json'), etag: header.identity.etag, lastModified: header.identity.lastModified },
      output,
      identity: { origin: 'url', location: server.url('/repos.json') },
    });
    expect(again).toEqual({ status: 'not-modified', finalUrl: server.url('/repos.json') });
  });

  it('keeps the previous index when the body is cut short', async () => {
    const output = join(temporaryDirectory(), 'nur-repos.nnix');
    await runBuildJob({ converter: 'nur-repos', input: { type: 'url', url: server.url('/repos.json') }, output, identity: { origin: 'url', location: 'a' } });
    const before = readFileSync(output);
    await expect(
      runBuildJob({ converter: 'nur-repos', input: { type: 'url', url: server.url('/short/repos.json') }, output, identity: { origin: 'url', location: 'b' } }),
    ).rejects.toThrowError();
    expect(readFileSync(output).equals(before)).toBe(true);
  });

  it('reads the nixpkgs revision from a channel release URL', () => {
    expect(revisionInUrl('https://releases.nixos.org/nixos/unstable/nixos-25.11pre850000.abc1234def56/packages.json.br')).toBe('abc1234def56');
    expect(revisionInUrl('https://releases.nixos.org/nixpkgs/nixpkgs-25.11pre1.0123456789ab/packages.json.br')).toBe('0123456789ab');
    expect(revisionInUrl('https://example.org/packages.json')).toBeUndefined();
  });
});
