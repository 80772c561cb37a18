// Regenerates server/src/analysis/builtinsTable.json from the newest Nix on this machine — the facts
// only: names, kinds, argument names, which are global. Nix's documentation text is not copied
// into the repository; the server reads it from the installed Nix at run time.
//   node scripts/generate-builtins.mjs [--nix /path/to/nix ...]
// Without --nix it considers `nix` on PATH and the project's test installation under
// .cache/nix-2.26 (scripts/setup-nix.sh). It reads the builtins (names, arguments) with the same code
// the server uses (server/src/nix/builtinsDump.ts), lists every attribute of `builtins`, and finds
// which names are global by asking the parser about each one (`nix-instantiate --parse -E NAME`
// fails with "undefined variable" for the others).
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'server', 'src', 'analysis', 'builtinsTable.json');

/** Names the parser treats as globals although `builtins` has no attribute for them. */
const SPECIAL_GLOBALS = ['__curPos'];

function run(program, args) {
  return new Promise((resolve) => {
    execFile(program, args, { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout, stderr });
    });
  });
}

function candidates() {
  const given = [];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) if (argv[i] === '--nix' && argv[i + 1]) given.push(argv[++i]);
  if (given.length) return given;
  const found = [];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'nix'))) {
      found.push(join(dir, 'nix'));
      break;
    }
  }
  const local = join(root, '.cache', 'nix-2.26', 'bin', 'nix');
  if (existsSync(local)) found.push(local);
  return found;
}

async function versionOf(nix) {
  const result = await run(nix, ['--version']);
  const match = result.ok ? /(\d+)\.(\d+)(?:\.(\d+))?/.exec(result.stdout) : null;
  if (!match) return undefined;
  return { nix, text: result.stdout.trim().split('\n')[0], key: [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] };
}

function newer(a, b) {
  for (let i = 0; i < 3; i++) if (a.key[i] !== b.key[i]) return a.key[i] > b.key[i];
  return false;
}

/** The server's own dump reader, bundled on the fly so this script and the server cannot disagree. */
async function loadDumpModule() {
  const dir = mkdtempSync(join(tmpdir(), 'nix-nur-builtins-'));
  const outfile = join(dir, 'builtinsDump.mjs');
  await build({
    entryPoints: [join(root, 'server', 'src', 'nix', 'builtinsDump.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

const versions = (await Promise.all(candidates().map(versionOf))).filter(Boolean);
if (versions.length === 0) {
  console.error('No working nix found (give one with --nix PATH).');
  process.exit(1);
}
const newest = versions.reduce((best, v) => (newer(v, best) ? v : best));
const instantiate = join(dirname(newest.nix), 'nix-instantiate');
if (!existsSync(instantiate)) {
  console.error(`${instantiate} not found next to ${newest.nix}`);
  process.exit(1);
}
console.log(`Using ${newest.text} (${newest.nix})`);

const { dumpBuiltins } = await loadDumpModule();
const { table, command } = await dumpBuiltins(newest.nix);
console.log(`${command}: ${Object.keys(table.builtins).length} documented builtins`);

const namesResult = await run(instantiate, ['--eval', '--json', '--strict', '-E', 'builtins.attrNames builtins']);
if (!namesResult.ok) {
  console.error(`Listing builtins failed: ${namesResult.stderr}`);
  process.exit(1);
}
const names = JSON.parse(namesResult.stdout);
for (const name of names) {
  table.builtins[name] ??= { name, args: [], doc: '', kind: 'function' };
}

// Undocumented attributes (derivation, derivationStrict, …) get their kind from their value.
const typesResult = await run(instantiate, [
  '--eval',
  '--json',
  '--strict',
  '-E',
  'builtins.mapAttrs (n: v: builtins.typeOf v) (removeAttrs builtins [ "builtins" "currentSystem" "currentTime" "nixPath" "storeDir" ])',
]);
const types = typesResult.ok ? JSON.parse(typesResult.stdout) : {};
for (const [name, type] of Object.entries(types)) {
  const info = table.builtins[name];
  if (info && info.args.length === 0 && !info.doc) info.kind = type === 'lambda' ? 'function' : 'constant';
}

async function isGlobal(name) {
  const result = await run(instantiate, ['--parse', '-E', name]);
  return result.ok;
}

const probes = await mapLimited(Object.keys(table.builtins), 2, async (name) => {
  if (await isGlobal(name)) return [name, name];
  if (await isGlobal(`__${name}`)) return [name, `__${name}`];
  return [name, undefined];
});
for (const [name, global] of probes) if (global) table.builtins[name].global = global;
const extraGlobals = [];
for (const name of SPECIAL_GLOBALS) if (await isGlobal(name)) extraGlobals.push(name);

const sorted = {};
for (const name of Object.keys(table.builtins).sort()) {
  const info = table.builtins[name];
  const ordered = { name: info.name, kind: info.kind, args: info.args };
  if (info.global) ordered.global = info.global;
  if (info.type) ordered.type = info.type;
  if (info.impureOnly) ordered.impureOnly = true;
  sorted[name] = ordered;
}
const result = { source: table.source, extraGlobals, builtins: sorted };
const text = `${JSON.stringify(result, null, 1)}\n`;
const previous = existsSync(output) ? readFileSync(output, 'utf8') : '';
writeFileSync(output, text);
const globals = Object.values(sorted).filter((b) => b.global).length;
console.log(`Wrote ${Object.keys(sorted).length} builtins (${globals} global) to ${output}${previous === text ? ' (unchanged)' : ''}`);
