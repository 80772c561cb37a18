// A small text file over HTTPS, for a request that can do without it: a time limit, a size
// limit, and undefined instead of an error when either is hit or the network is not there.
import { httpGet } from './httpDownload';

export async function fetchSmallText(url: string, { timeoutMs = 4000, maxBytes = 2_000_000 } = {}): Promise<string | undefined> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const result = await httpGet({ url, signal: abort.signal, idleTimeoutMs: timeoutMs });
    if (result.notModified) return undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of result.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        result.body.destroy();
        return undefined;
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
