// The `$nix` / `$nix-compact` problem matchers of the `nix` task type, run against the error
// output of the real Nix installations: one of them must find the file, line and column.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/lspClient';
import { nixInstallations, requireNixInCi } from '../support/nixInstallations';

requireNixInCi();

interface Pattern {
  regexp: string;
  message?: number;
  file?: number;
  line?: number;
  column?: number;
}

const matchers: { name: string; pattern: Pattern[] }[] = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).contributes.problemMatchers;

/** What VS Code does with a multi-line matcher: its patterns must match consecutive lines. */
function match(lines: string[], patterns: Pattern[]): { message?: string; file?: string; line?: number; column?: number } | undefined {
  for (let start = 0; start + patterns.length <= lines.length; start++) {
    const found: Record<string, string | number> = {};
    const ok = patterns.every((pattern, i) => {
      const m = new RegExp(pattern.regexp).exec(lines[start + i]);
      if (!m) return false;
      if (pattern.message) found.message = m[pattern.message];
      if (pattern.file) found.file = m[pattern.file];
      if (pattern.line) found.line = Number(m[pattern.line]);
      if (pattern.column) found.column = Number(m[pattern.column]);
      return true;
    });
    if (ok) return found;
  }
  return undefined;
}

describe.each(nixInstallations().map((i) => [i.version, i] as const))('problem matchers with Nix %s', (_version, installation) => {
  it('locate an evaluation error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nix-nur-matcher-'));
    try {
      const file = join(dir, 'default.nix');
      writeFileSync(file, '{\n  a = 1;\n  b = undefinedThing;\n}\n');
      const run = spawnSync(join(installation.binDir, 'nix-instantiate'), ['--eval', '--strict', file], { cwd: dir, env: installation.env, encoding: 'utf8' });
      expect(run.status).not.toBe(0);
      const lines = run.stderr.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
      const results = matchers.map((matcher) => match(lines, matcher.pattern)).filter(Boolean);
      expect(results).toContainEqual({ message: expect.stringContaining('undefinedThing'), file, line: 3, column: 7 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
