// Runs the formatter the user configured (`nixNur.formatting.command`): its argument vector, never
// a shell, with the document on standard input and a time limit. Whatever goes wrong comes back
// as one plain sentence, and the document is then left as it was.
import { ProgramNotFoundError, runProcess } from '../../nix/process';

export const EXTERNAL_FORMATTER_TIMEOUT_MS = 10_000;

export type ExternalFormatResult = { ok: true; text: string } | { ok: false; message: string };

export async function runExternalFormatter(
  command: readonly string[],
  text: string,
  options: { cwd?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ExternalFormatResult> {
  const [program, ...args] = command;
  if (!program) return { ok: false, message: 'nixNur.formatting.command is empty' };
  const timeoutMs = options.timeoutMs ?? EXTERNAL_FORMATTER_TIMEOUT_MS;
  const shown = command.join(' ');
  try {
    const result = await runProcess(program, args, { input: text, timeoutMs, cwd: options.cwd, signal: options.signal });
    if (result.timedOut) return { ok: false, message: `${shown} did not finish within ${timeoutMs / 1000} s; nothing was changed` };
    if (result.cancelled) return { ok: false, message: `${shown} was cancelled; nothing was changed` };
    if (result.code !== 0) {
      const why = lastLines(result.stderr) || lastLines(result.stdout) || (result.signal ? `ended by ${result.signal}` : `exit code ${result.code}`);
      return { ok: false, message: `${shown} failed: ${why}; nothing was changed` };
    }
    if (result.stdout.trim() === '' && text.trim() !== '') return { ok: false, message: `${shown} printed nothing; nothing was changed` };
    return { ok: true, text: result.stdout };
  } catch (error) {
    if (error instanceof ProgramNotFoundError) return { ok: false, message: `${program} was not found (nixNur.formatting.command); nothing was changed` };
    return { ok: false, message: `${shown} could not be run: ${error instanceof Error ? error.message : String(error)}; nothing was changed` };
  }
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).join(' ').trim();
}
