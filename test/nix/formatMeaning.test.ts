// The formatter never changes what code means, checked by the host's Nix: on a sample of real
// nixfmt-formatted files (Home Manager, flake-parts, sops-nix, nix-darwin from ../shared/data),
// each with all its indentation stripped so that formatting has everything to redo,
// `nix-instantiate --parse` prints the same expression before and after formatting (compared as
// test/support/nixParseOutput.ts explains). The sample
// is also formatted as it is: Home Manager is formatted by nixfmt, and should come back unchanged
// (the other trees were formatted by older versions of it).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChecked } from '../../server/src/format/formatter';
import { nixInstallations, requireNixInCi } from '../support/nixInstallations';
import { canonicalParseOutput } from '../support/nixParseOutput';
import { nixParser } from '../support/parse';

requireNixInCi();
const hostNix = nixInstallations().find((installation) => installation.storePrefix === '');
const sources = join(__dirname, '..', '..', '..', 'shared', 'data', 'sources');
const ARCHIVES = ['home-manager', 'flake-parts', 'sops-nix', 'nix-darwin'];

function nixFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.nix'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

describe.skipIf(!hostNix)('formatting keeps the meaning (nix-instantiate --parse)', () => {
  let dir: string;
  let sample: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nix-nur-format-'));
    for (const name of ARCHIVES) execFileSync('tar', ['-xzf', join(sources, `${name}.tar.gz`), '-C', dir]);
    // Every 40th file: about 140 files of every kind of module and package.
    sample = nixFiles(dir).filter((_, index) => index % 40 === 0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const parse = (file: string) => {
    const run = spawnSync(join(hostNix!.binDir, 'nix-instantiate'), ['--parse', file], { encoding: 'utf8', env: hostNix!.env });
    return run.status === 0 ? canonicalParseOutput(run.stdout) : `error: ${run.stderr}`;
  };

  it('prints the same expression before and after formatting a file with its indentation stripped', async () => {
    const parser = await nixParser();
    const changedMeaning: string[] = [];
    let formatted = 0;
    for (const file of sample) {
      const stripped = readFileSync(file, 'utf8').replace(/^[ \t]+/gm, '');
      const result = formatChecked(stripped, parser);
      if (!result.ok) continue;
      formatted++;
      // Both copies sit in the file's own directory: relative paths resolve to the same place.
      writeFileSync(`${file}.before.nix`, stripped);
      writeFileSync(`${file}.after.nix`, result.text);
      if (parse(`${file}.before.nix`) !== parse(`${file}.after.nix`)) changedMeaning.push(file);
      // Formatting what was formatted changes nothing.
      expect(formatChecked(result.text, parser)).toEqual({ ok: true, text: result.text });
    }
    expect(changedMeaning).toEqual([]);
    expect(formatted).toBeGreaterThan(sample.length * 0.95);
  }, 300_000);

  it('leaves nearly every file of Home Manager (formatted by nixfmt) exactly as it is', async () => {
    const parser = await nixParser();
    const homeManager = sample.filter((file) => file.includes(`${join(dir, 'home-manager')}/`));
    expect(homeManager.length).toBeGreaterThan(50);
    const unchanged = homeManager.filter((file) => {
      const text = readFileSync(file, 'utf8');
      const result = formatChecked(text, parser);
      return result.ok && result.text === text;
    });
    expect(unchanged.length / homeManager.length).toBeGreaterThan(0.95);
  });
});
