// `npm run bench`: bundles each bench/*.bench.ts with esbuild and runs it in its own Node process,
// so one benchmark's heap cannot colour another's numbers. Each prints its own markdown table.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundle } from '../scripts/bundleOptions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache', 'bench');
mkdirSync(out, { recursive: true });
const only = process.argv.slice(2);
// Corpus checks (`*.check.ts`, correctness over real files, not timings) run only when named.
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') || (f.endsWith('.check.ts') && only.length > 0))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const file of benches) {
  const outfile = join(out, file.replace(/\.ts$/, '.cjs'));
  await build({
    entryPoints: [join(root, 'bench', file)],
    outfile,
    ...nodeBundle,
  });
  console.log(`\n## ${file.replace(/\.(bench|check)\.ts$/, '')}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', outfile], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
