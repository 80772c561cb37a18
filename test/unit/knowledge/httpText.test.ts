import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSmallText } from '../../../server/src/knowledge/httpText';
import { startLocalServer, type LocalServer } from './localHttpServer';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({
    '/module.nix': { type: 'bytes', body: Buffer.from('{ options.a = 1; }\n') },
    '/big.nix': { type: 'bytes', body: Buffer.alloc(5000, 'x') },
    '/gone.nix': { type: 'status', status: 404 },
    '/silent.nix': { type: 'silent' },
  });
});
afterAll(() => server.close());

describe('a small text over HTTP, for a request that can do without it', () => {
  it('is the text, or undefined when missing, too big or too slow', async () => {
    expect(await fetchSmallText(server.url('/module.nix'))).toBe('{ options.a = 1; }\n');
    expect(await fetchSmallText(server.url('/gone.nix'))).toBeUndefined();
    expect(await fetchSmallText(server.url('/big.nix'), { maxBytes: 1000 })).toBeUndefined();
    expect(await fetchSmallText(server.url('/silent.nix'), { timeoutMs: 300 })).toBeUndefined();
    expect(await fetchSmallText('http://127.0.0.1:9/refused.nix')).toBeUndefined();
  });
});
