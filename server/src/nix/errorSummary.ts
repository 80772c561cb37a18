// The one line that says what went wrong, out of what Nix wrote to standard error. Nix 2.8 writes
// `error: <message>` first and the trace after it; newer versions may write `error:` alone, then
// the trace (`… while calling …`, `at file:1:2:`, code excerpts), then `error: <message>` with the
// cause. The last `error:` line with a message is the cause in both.
import { stripAnsi } from './ansi';

export function errorSummary(stderr: string): string {
  const lines = stripAnsi(stderr)
    .split('\n')
    .map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.startsWith('error:') && line.length > 'error:'.length) return line;
  }
  // A bare `error:` and its message on the next lines that are not trace.
  const bare = lines.indexOf('error:');
  const message = bare >= 0 ? lines.slice(bare + 1).find((l) => l && !isTrace(l)) : undefined;
  if (message) return `error: ${message}`;
  const meaningful = lines.filter((l) => l && !isTrace(l));
  return meaningful[meaningful.length - 1] ?? '';
}

/** Lines that say where, not what: `… while …`, `at …:1:2:`, code excerpts, the trace hint. */
function isTrace(line: string): boolean {
  return line.startsWith('…') || /^at /.test(line) || /^\d*\|/.test(line) || /^\(use '--show-trace'/.test(line) || /^\(stack trace truncated/.test(line);
}
