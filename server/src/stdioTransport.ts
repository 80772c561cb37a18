// The stdio transport. Each message goes out in one write — its header and content together —
// where the library's writer writes the header, waits for that write to complete, then writes the
// content: two system calls, and two wake-ups of the editor reading the pipe, for every answer.
import { format } from 'node:util';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

export class WholeMessageWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly output: NodeJS.WritableStream) {
    super();
    output.on('error', (error: Error) => this.fireError(error));
    output.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    // Written at once, in the order asked: messages never interleave. As one string, which the
    // stream encodes as it writes: no buffer is made for it here.
    const content = JSON.stringify(message);
    const frame = `Content-Length: ${Buffer.byteLength(content, 'utf8')}\r\n\r\n${content}`;
    return new Promise((resolve, reject) => {
      this.output.write(frame, 'utf8', (error) => {
        if (!error) return resolve();
        this.fireError(error, message);
        reject(error);
      });
    });
  }

  end(): void {
    this.output.end();
  }
}

/**
 * Standard output carries the protocol only: anything a dependency prints through `console`
 * goes to standard error, which editors show as the server's log.
 */
export function keepConsoleOffStdout(): void {
  const toStderr = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.dir = (value: unknown) => toStderr(value);
}
