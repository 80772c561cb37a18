// Parsing with a time limit. The grammar's lexer tries, at every token, whether a path or a URI
// starts there, reading on through every character either could hold (letters, digits, `.`,
// `+`, `-`, `_`) until one cannot. In a long run of such characters — `x.a.a.a…` 50,000 deep,
// `a+a+a+…` — every token therefore rereads the rest of the run, and a 100 KB line takes minutes.
// The same happens when tree-sitter's error recovery meets thousands of unclosed `{`. Nothing
// outside the grammar can make that lexing linear, so parses that could meet it run with a limit:
// tree-sitter asks between steps whether to go on, and a parse that is over its time gives up.
import type { Parser, Tree } from 'web-tree-sitter';

/**
 * Processor time this process has used, in milliseconds. Budgets count it rather than the clock:
 * on a machine busy with other work a parse may take seconds of wall time while using a fraction
 * of that, and giving up on an ordinary file because the machine was busy would be wrong.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Parses shorter than this never ask for processor time. */
const UNCOUNTED_MS = 5;

/**
 * The tree of `text`, or undefined when parsing used more than `budgetMs` of processor time. `oldTree`, edited to
 * match `text`, lets unchanged parts be reused. After giving up the parser is reset, so its next
 * parse starts afresh (of any text).
 */
export function parseWithin(parser: Parser, text: string, oldTree: Tree | null, budgetMs: number): Tree | undefined {
  // The parse cannot have used more processor time than has passed: until the budget has passed
  // on the clock, asking the system for processor time (a system call each) is not needed. Small
  // parses, those of completion and hover among them, never ask — not even at the start: a parse
  // still running after a few milliseconds reads the processor time then and counts those
  // milliseconds as spent in full (so it may give up a few milliseconds early, never late).
  const start = performance.now();
  const clockDeadline = start + budgetMs;
  let cpuDeadline: number | undefined;
  let gaveUp = false;
  const tree = parser.parse(text, oldTree, {
    // web-tree-sitter's types say void, but the runtime cancels when this returns true.
    progressCallback: (() => {
      const now = performance.now();
      if (cpuDeadline === undefined) {
        if (now - start < UNCOUNTED_MS) return false;
        cpuDeadline = cpuMs() + budgetMs - (now - start);
      }
      return (gaveUp = now > clockDeadline && cpuMs() > cpuDeadline);
    }) as () => void,
  });
  if (tree && !gaveUp) return tree;
  tree?.delete();
  parser.reset();
  return undefined;
}

/**
 * How long a document's parse may take: a second, plus 2 ms per 1,000 characters so that the
 * largest legitimate files (nixpkgs' biggest is under a megabyte and parses in about half a
 * second) never come near it even on a slow machine.
 */
export function parseBudgetMs(length: number): number {
  return 1000 + (2 * length) / 1000;
}
