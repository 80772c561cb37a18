// Messages leave the server whole: one write per message, framed as the protocol says.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { WholeMessageWriter } from '../../server/src/stdioTransport';

describe('WholeMessageWriter', () => {
  it('writes each message in one chunk that a protocol reader reads back, in order', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new WholeMessageWriter(output);
    const messages: Message[] = [
      { jsonrpc: '2.0', id: 1, result: null } as Message,
      // Not ASCII: the length counts bytes, not characters.
      { jsonrpc: '2.0', id: 2, result: { contents: 'ℕ — “nix” ✓' } } as Message,
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'x'.repeat(100_000) } } as Message,
    ];
    await Promise.all(messages.map((message) => writer.write(message)));
    expect(chunks).toHaveLength(3);
    expect(chunks[1]!.toString('utf8')).toMatch(/^Content-Length: \d+\r\n\r\n\{/);

    const reader = new StreamMessageReader(new PassThrough().end(Buffer.concat(chunks)));
    const read: Message[] = [];
    await new Promise<void>((resolve) => {
      reader.listen((message) => {
        read.push(message);
        if (read.length === messages.length) resolve();
      });
    });
    expect(read).toEqual(messages);
  });

  it('reports a failed write to the connection and to the caller', async () => {
    const output = new PassThrough();
    const writer = new WholeMessageWriter(output);
    const errors: unknown[] = [];
    writer.onError(([error]) => errors.push(error));
    output.destroy();
    await expect(writer.write({ jsonrpc: '2.0', id: 1, result: null } as Message)).rejects.toBeInstanceOf(Error);
    expect(errors.length).toBeGreaterThan(0);
  });
});
