// The process guardian (`dist/processGuardian.js`): a small process the server starts beside
// itself, in a session of its own, holding the read end of a pipe whose only write end is the
// server's. The server tells it each process group it starts (`+PID`) and each that ended
// (`-PID`). However the server ends — even SIGKILL, which runs none of its exit code — the kernel
// closes that pipe, and the guardian ends every group still listed, with the builders Nix started
// in sessions of their own, then exits.
import { endProcessTrees } from './processTree';

/** Nix gets this long, after SIGTERM, to stop its builders; the whole tree is gone well within 5 s. */
const GRACE_MS = 3000;

const leaders = new Set<number>();
let pending = '';

function apply(line: string): void {
  const match = /^([+-])(\d+)$/.exec(line.trim());
  if (!match) return;
  const pid = Number(match[2]);
  if (match[1] === '+') leaders.add(pid);
  else leaders.delete(pid);
}

let ended = false;
function serverGone(): void {
  if (ended) return;
  ended = true;
  apply(pending);
  endProcessTrees([...leaders], GRACE_MS);
  process.exit(0);
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop()!;
  for (const line of lines) apply(line);
});
process.stdin.on('end', serverGone);
process.stdin.on('close', serverGone);
process.stdin.on('error', serverGone);
// Signals meant for the server's terminal or service do not end the guardian before its work.
for (const signal of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => undefined);
