// Downloads a source file with node's own http/https: conditional requests (a 304 means the cached
// index is still current), bounded redirects that may not leave the configured host unless the
// caller allows the target host (channels.nixos.org hands out releases.nixos.org), an idle
// timeout, cancellation, and a body that ends before its Content-Length is an error rather than
// a short file.
import * as http from 'node:http';
import * as https from 'node:https';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { CancelledError, DownloadError } from './errors';

export interface HttpGetOptions {
  url: string;
  /** From the cached copy: sent as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  /** Hosts besides the URL's own that redirects may lead to. */
  allowedRedirectHosts?: readonly string[];
  maxRedirects?: number;
  /** Give up when no byte arrives for this long. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export type HttpGetResult =
  | { notModified: true; finalUrl: string }
  | {
      notModified: false;
      /** The body, with any Content-Encoding already undone. */
      body: Readable;
      etag?: string;
      lastModified?: string;
      finalUrl: string;
      /** Content-Length, when the server sent one. */
      total?: number;
    };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function httpGet(options: HttpGetOptions): Promise<HttpGetResult> {
  const maxRedirects = options.maxRedirects ?? 5;
  const original = parseUrl(options.url);
  const allowedHosts = new Set([original.host, ...(options.allowedRedirectHosts ?? [])]);
  let current = original;
  for (let hop = 0; ; hop++) {
    const response = await request(current, options);
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new DownloadError(`${current.href} answered ${status} without a Location`, current.href, status);
      if (hop >= maxRedirects) throw new DownloadError(`too many redirects (more than ${maxRedirects}) from ${options.url}`, options.url, status);
      const next = parseUrl(new URL(location, current).href);
      if (current.protocol === 'https:' && next.protocol !== 'https:') {
        throw new DownloadError(`refused a redirect from https to ${next.protocol.replace(':', '')} (${next.href})`, options.url, status);
      }
      if (!allowedHosts.has(next.host)) {
        throw new DownloadError(
          `refused a redirect to another host (${next.host}); configure the final URL directly if it is trusted`,
          options.url,
          status,
        );
      }
      current = next;
      continue;
    }
    if (status === 304) {
      response.resume();
      return { notModified: true, finalUrl: current.href };
    }
    if (status !== 200) {
      response.resume();
      throw new DownloadError(`${current.href} answered HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`, current.href, status);
    }
    const lengthHeader = response.headers['content-length'];
    const total = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    const encoding = (response.headers['content-encoding'] ?? 'identity').toLowerCase();
    const checked = response.pipe(new LengthCheck(current.href, total));
    response.on('error', (error) => checked.destroy(asDownloadError(error, current.href)));
    response.on('aborted', () => checked.destroy(new DownloadError(`the connection to ${current.host} closed before the body ended`, current.href)));
    let body: Readable = checked;
    if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'br' || encoding === 'deflate') {
      const decoder = encoding === 'br' ? zlib.createBrotliDecompress() : encoding === 'deflate' ? zlib.createInflate() : zlib.createGunzip();
      checked.on('error', (error) => decoder.destroy(error));
      body = checked.pipe(decoder);
    } else if (encoding !== 'identity') {
      response.destroy();
      throw new DownloadError(`${current.href} uses an unsupported Content-Encoding '${encoding}'`, current.href);
    }
    return {
      notModified: false,
      body,
      etag: headerText(response.headers.etag),
      lastModified: headerText(response.headers['last-modified']),
      finalUrl: current.href,
      total,
    };
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DownloadError(`'${text}' is not a valid URL`, text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DownloadError(`'${text}' is not an http(s) URL`, text);
  return url;
}

function request(url: URL, options: HttpGetOptions): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new CancelledError());
    const headers: Record<string, string> = { 'user-agent': 'nix-nur-language-server', accept: '*/*' };
    if (options.etag) headers['if-none-match'] = options.etag;
    if (options.lastModified) headers['if-modified-since'] = options.lastModified;
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { headers }, (response) => {
      options.signal?.removeEventListener('abort', onAbort);
      // Keep cancelling possible while the body streams.
      const abortBody = () => response.destroy(new CancelledError());
      options.signal?.addEventListener('abort', abortBody, { once: true });
      response.once('close', () => options.signal?.removeEventListener('abort', abortBody));
      resolve(response);
    });
    const onAbort = () => req.destroy(new CancelledError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const idle = options.idleTimeoutMs ?? 30_000;
    const idleText = idle < 1000 ? `${idle} ms` : `${Math.round(idle / 1000)} s`;
    req.setTimeout(idle, () => req.destroy(new DownloadError(`no data from ${url.host} for ${idleText}`, url.href)));
    req.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(asDownloadError(error, url.href));
    });
  });
}

function asDownloadError(error: unknown, url: string): Error {
  if (error instanceof DownloadError || error instanceof CancelledError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const host = safeHost(url);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new DownloadError(`cannot resolve ${host} (offline?)`, url);
  if (code === 'ECONNREFUSED') return new DownloadError(`${host} refused the connection`, url);
  if (code === 'ECONNRESET' || (error as Error).message === 'aborted') return new DownloadError(`the connection to ${host} was cut`, url);
  return new DownloadError(`download from ${host} failed: ${(error as Error).message}`, url);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Counts the body and fails when it ends short of Content-Length. */
class LengthCheck extends Transform {
  private received = 0;

  constructor(
    private readonly url: string,
    private readonly expected: number | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expected !== undefined && this.received < this.expected) {
      callback(new DownloadError(`the download was cut short: ${this.received} of ${this.expected} bytes`, this.url));
    } else callback();
  }
}
