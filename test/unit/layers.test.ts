// The layering ARCHITECTURE.md states, checked on every import: a folder of server/src may import
// only from folders after it in LAYERS (and from itself). The files at the top of server/src are
// the server's wiring: only `commands/` (part of that wiring) may use them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS = ['commands', 'features', 'workspace', 'nur', 'flake', 'configurations', 'knowledge', 'nix', 'format', 'analysis', 'syntax', 'config'];
const src = join(__dirname, '..', '..', 'server', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(file: string): string | undefined {
  const first = relative(src, file).split(sep)[0];
  return LAYERS.includes(first) ? first : undefined;
}

describe('layers', () => {
  it('every import goes down the layers', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(src)) {
      const from = layerOf(file);
      if (!from) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = resolve(dirname(file), match[1]);
        const to = layerOf(target);
        if (!to && from !== 'commands' && relative(src, target).split(sep).length === 1) {
          violations.push(`${relative(src, file)} imports the server wiring (${match[1]})`);
          continue;
        }
        if (to && to !== from && LAYERS.indexOf(to) < LAYERS.indexOf(from)) violations.push(`${relative(src, file)} (${from}) imports ${to}: ${match[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
