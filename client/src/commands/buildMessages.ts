// What the notification of a failed build says: the cause, then the last lines of the log, since
// a notification is one paragraph and the cause alone ("builder failed with exit code 2") rarely
// tells what went wrong. The whole log is one click away ("Show Full Log").

/** Lines of the log's tail a notification shows, and how long it may grow. */
const TAIL_LINES = 3;
const MAX_LENGTH = 400;

/** The server's failure message: a headline, then optionally "Last lines of the log:" and lines. */
export function failedBuildMessage(serverMessage: string): string {
  const [headline = 'the build failed', ...rest] = serverMessage.split('\n');
  const marker = rest.findIndex((line) => /^Last lines of the log:/.test(line));
  const tail = (marker >= 0 ? rest.slice(marker + 1) : [])
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-TAIL_LINES);
  const text = tail.length > 0 ? `Nix build failed: ${headline.trim()} — log: ${tail.join(' ⏎ ')}` : `Nix build failed: ${headline.trim()}`;
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
