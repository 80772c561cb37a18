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
    // Written at once, in the order asked: messages never interleave. The text is encoded straight
    // into the frame: a large answer (a big file's semantic tokens run to megabytes) is never held
    // a third time, as a joined string or a separate buffer.
    const content = JSON.stringify(message);
    const length = Buffer.byteLength(content, 'utf8');
    const header = `Content-Length: ${length}\r\n\r\n`;
    const frame = Buffer.allocUnsafe(header.length + length);
    frame.write(header, 0, 'latin1');
    frame.write(content, header.length, 'utf8');
    return new Promise((resolve, reject) => {
      this.output.write(frame, (error) => {
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
