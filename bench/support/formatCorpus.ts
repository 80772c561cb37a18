// The corpus for the formatter benchmark: nixfmt-formatted trees from ../shared/data/sources,
// unpacked once into .cache/, and helpers to say what a difference is about and whether Nix reads
// two files as the same expression.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { plainTree, type PlainNode } from '../../server/src/format/plainTree';
import { canonicalParseOutput } from '../../test/support/nixParseOutput';

/** Unpacks `../shared/data/sources/<name>.tar.gz` under `.cache/format-corpus/` once; its directory. */
export function unpackedSource(root: string, name: string): string {
  const target = join(root, '.cache', 'format-corpus');
  const dir = join(target, name);
  if (!existsSync(join(dir, '.complete'))) {
    mkdirSync(target, { recursive: true });
    const archive = join(root, '..', 'shared', 'data', 'sources', `${name}.tar.gz`);
    const untar = spawnSync('tar', ['-xzf', archive, '-C', target], { stdio: 'inherit' });
    if (untar.status !== 0) throw new Error(`could not unpack ${archive}`);
    spawnSync('touch', [join(dir, '.complete')]);
  }
  return dir;
}

export function nixFilesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith('.nix')) found.push(child);
    }
  };
  walk(dir);
  return found;
}

/**
 * What the first difference between a file and its formatted form is about: the smallest syntax
 * node holding the whole first differing line of the original (binary operators with their
 * operator), or `comment` when that line is a comment.
 */
export function differenceConstruct(original: string, formatted: string, tree: Tree): string {
  const a = original.split('\n');
  const b = formatted.split('\n');
  let line = 0;
  while (line < a.length && a[line] === b[line]) line++;
  const text = a[line] ?? '';
  if (/^\s*(#|\/\*|\*)/.test(text)) return 'comment';
  let start = 0;
  for (let i = 0; i < line; i++) start += a[i]!.length + 1;
  const lineStart = start + (text.length - text.trimStart().length);
  const lineEnd = start + text.trimEnd().length;
  let node: PlainNode = plainTree(tree);
  for (;;) {
    const child: PlainNode | undefined = node.children.find((kid) => kid.named && kid.start <= lineStart && kid.end >= lineEnd);
    if (!child) break;
    node = child;
  }
  if (node.type === 'binary_expression') {
    const operator = node.children.find((kid) => !kid.named);
    return `binary_expression ${operator?.type ?? ''}`.trim();
  }
  return node.type;
}

/** Whether `nix-instantiate --parse` prints the same expression for each pair of files; the pairs that differ or fail. */
export function sameParses(pairs: [string, string][], nixInstantiate = 'nix-instantiate'): { checked: number; differing: string[]; failed: string[] } {
  const differing: string[] = [];
  const failed: string[] = [];
  // One file a call: a batch prints one line per file only as long as no output holds a line break.
  const parse = (file: string): string | undefined => {
    const run = spawnSync(nixInstantiate, ['--parse', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
    return run.status === 0 ? canonicalParseOutput(run.stdout) : undefined;
  };
  for (const [original, formatted] of pairs) {
    const before = parse(original);
    if (before === undefined) failed.push(original);
    else if (before !== parse(formatted)) differing.push(original);
  }
  return { checked: pairs.length, differing, failed };
}
