// Reads the installed Nix's own description of its builtins. Nix 2.4 to 2.19 print it with
// `nix __dump-builtins` (functions only: `{ name: { args, arity, doc } }`); later versions renamed
// the command to `nix __dump-language` and added constants (`{ name: { args?, doc, type?,
// impure-only? } }`, some versions wrapping it as `{ builtins, constants }`). Both are accepted.
import { mergeBuiltinTables, type BuiltinInfo, type BuiltinsTable } from '../analysis/builtins';
import { runProcess, type ProcessOptions, type ProcessResult } from './process';

/** Where the manual lives; the dump's links are relative to it (`@docroot@/…`). */
export const NIX_MANUAL_URL = 'https://nix.dev/manual/nix/latest';

export type BuiltinsDumpCommand = '__dump-language' | '__dump-builtins';

/** The dump commands to try, newest first. */
export const DUMP_COMMANDS: readonly BuiltinsDumpCommand[] = ['__dump-language', '__dump-builtins'];

interface RawEntry {
  args?: unknown;
  doc?: unknown;
  type?: unknown;
  'impure-only'?: unknown;
}

/**
 * Turns a dump's JSON text into a table. `source` names the Nix it came from. Global names are not
 * part of any dump; the caller merges the result with a table that knows them.
 * Throws with a readable message when the text is not a dump.
 */
export function parseBuiltinsDump(jsonText: string, source: string): BuiltinsTable {
  let data: unknown;
  try {
    data = JSON.parse(jsonText);
  } catch (error) {
    throw new Error(`the builtins dump is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(data)) throw new Error('the builtins dump is not a JSON object');
  const sections = isWrapped(data) ? [data.builtins, data.constants].filter(isObject) : [data];
  const builtins: Record<string, BuiltinInfo> = {};
  for (const section of sections) {
    for (const [name, raw] of Object.entries(section)) {
      if (!isObject(raw)) continue;
      const entry = raw as RawEntry;
      const args = Array.isArray(entry.args) ? entry.args.filter((a): a is string => typeof a === 'string') : [];
      const info: BuiltinInfo = {
        name,
        args,
        doc: typeof entry.doc === 'string' ? resolveManualLinks(entry.doc.trim()) : '',
        kind: Array.isArray(entry.args) ? 'function' : 'constant',
      };
      if (typeof entry.type === 'string') info.type = entry.type;
      if (entry['impure-only'] === true) info.impureOnly = true;
      builtins[name] = info;
    }
  }
  if (Object.keys(builtins).length === 0) throw new Error('the builtins dump lists no builtins');
  return { source, builtins };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ builtins: {…}, constants: {…} }` rather than a flat map of names. */
function isWrapped(data: Record<string, unknown>): data is { builtins: unknown; constants?: unknown } {
  const keys = Object.keys(data);
  return keys.length > 0 && keys.every((k) => k === 'builtins' || k === 'constants') && isObject(data.builtins) && !('doc' in data.builtins);
}

/**
 * The dump's documentation links point into the manual's sources (`@docroot@/language/types.md`,
 * `#builtins-map`, `./operators.md`); they become absolute links to the published manual, whose
 * pages end in `.html`. The builtins page itself is `language/builtins.html`.
 */
export function resolveManualLinks(markdown: string): string {
  const base = `${NIX_MANUAL_URL}/language/builtins.html`;
  return markdown.replace(/\]\(([^)\s]+)\)/g, (whole, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return whole;
    let url: URL;
    try {
      url = new URL(target.replace(/^@docroot@/, NIX_MANUAL_URL), base);
    } catch {
      return whole;
    }
    if (!url.href.startsWith(NIX_MANUAL_URL)) return whole;
    url.pathname = url.pathname.replace(/\.md$/, '.html');
    return `](${url.href})`;
  });
}

export type ProcessRunner = (program: string, args: readonly string[], options?: ProcessOptions) => Promise<ProcessResult>;

export interface BuiltinsDumpResult {
  table: BuiltinsTable;
  command: BuiltinsDumpCommand;
}

/**
 * Asks the Nix at `nixPath` for its builtins, trying the newer command first. Rejects with a
 * readable error when Nix is missing (`ProgramNotFoundError`), too old to dump (before 2.4), or
 * prints something unexpected; the caller keeps the committed table then.
 */
export async function dumpBuiltins(
  nixPath = 'nix',
  options: ProcessOptions = {},
  run: ProcessRunner = runProcess,
): Promise<BuiltinsDumpResult> {
  const failures: string[] = [];
  for (const command of DUMP_COMMANDS) {
    const result = await run(nixPath, [command], { timeoutMs: 20_000, ...options });
    if (result.cancelled) throw new Error(`'${nixPath} ${command}' was cancelled`);
    if (result.code === 0) {
      const version = await run(nixPath, ['--version'], { timeoutMs: 10_000, ...options }).catch(() => undefined);
      const source = version?.code === 0 ? version.stdout.trim().split('\n', 1)[0]! : nixPath;
      return { table: parseBuiltinsDump(result.stdout, source), command };
    }
    failures.push(`${command}: ${firstLine(result.stderr) || (result.timedOut ? 'timed out' : `exit code ${result.code}`)}`);
  }
  throw new Error(`'${nixPath}' cannot describe its builtins (${failures.join('; ')})`);
}

function firstLine(text: string): string {
  return text.trim().split('\n', 1)[0]?.replace(/^error:\s*/, '') ?? '';
}

export interface InstalledBuiltins {
  /** The installed Nix's builtins over the committed table, or the committed table alone. */
  table: BuiltinsTable;
  /** Why the installed Nix could not be asked, when it could not. */
  error?: string;
}

/**
 * The builtins table the server should use: the installed Nix's own when it can describe them,
 * otherwise the committed one, with the reason (Nix missing, too old, unexpected output).
 * Never rejects.
 */
export async function installedBuiltins(
  base: BuiltinsTable,
  nixPath = 'nix',
  options: ProcessOptions = {},
  run: ProcessRunner = runProcess,
): Promise<InstalledBuiltins> {
  try {
    const { table } = await dumpBuiltins(nixPath, options, run);
    return { table: mergeBuiltinTables(base, table) };
  } catch (error) {
    return { table: base, error: (error as Error).message };
  }
}
