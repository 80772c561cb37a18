// The built-in formatter against the nixfmt-formatted trees of ../shared/data/sources
// (nixpkgs-slim, home-manager): the share of files it leaves exactly as they are, idempotency
// (also on a copy with all indentation stripped), whether Nix reads every changed file as the
// same expression (`nix-instantiate --parse` before and after), the constructs behind the
// remaining differences, and speed beside parsing the same files (the baseline).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { formatTree } from '../server/src/format/formatter';
import { createNixParser, findParserFiles } from '../server/src/syntax/parser';
import { differenceConstruct, nixFilesUnder, sameParses, unpackedSource } from './support/formatCorpus';
import { median, meets, ms, printTable, timeRuns } from './support/stats';

const root = process.cwd();
const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(2)} %`);

interface CorpusResult {
  files: number;
  unchanged: number;
  refused: string[];
  idempotent: number;
  changed: { file: string; formatted: string }[];
  constructs: Map<string, number>;
  parseMs: number;
  formatMs: number;
  /** CPU time of formatting (parse excluded): on a shared machine wall time also counts waiting. */
  formatCpuMs: number;
}

function runCorpus(parser: Parser, files: string[]): CorpusResult {
  const result: CorpusResult = { files: files.length, unchanged: 0, refused: [], idempotent: 0, changed: [], constructs: new Map(), parseMs: 0, formatMs: 0, formatCpuMs: 0 };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    let started = performance.now();
    const tree = parser.parse(text)!;
    result.parseMs += performance.now() - started;
    started = performance.now();
    const cpu = process.cpuUsage();
    const formatted = formatTree(text, tree);
    const used = process.cpuUsage(cpu);
    result.formatCpuMs += (used.user + used.system) / 1000;
    result.formatMs += performance.now() - started;
    if (!formatted.ok) {
      result.refused.push(`${file}: ${formatted.message}`);
      tree.delete();
      continue;
    }
    if (formatted.text === text) {
      result.unchanged++;
      result.idempotent++;
      tree.delete();
      continue;
    }
    const construct = differenceConstruct(text, formatted.text, tree);
    result.constructs.set(construct, (result.constructs.get(construct) ?? 0) + 1);
    tree.delete();
    result.changed.push({ file, formatted: formatted.text });
    if (formatsTo(parser, formatted.text) === formatted.text) result.idempotent++;
  }
  return result;
}

function formatsTo(parser: Parser, text: string): string | undefined {
  const tree = parser.parse(text)!;
  try {
    const result = formatTree(text, tree);
    return result.ok ? result.text : undefined;
  } finally {
    tree.delete();
  }
}

/** Writes each changed file's formatted text beside it and asks Nix whether both parse the same. */
function meaningCheck(changed: { file: string; formatted: string }[]): { checked: number; differing: string[]; failed: string[] } {
  const pairs: [string, string][] = changed.map(({ file, formatted }) => {
    const copy = `${file}.formatted.nix`;
    writeFileSync(copy, formatted);
    return [file, copy];
  });
  try {
    return sameParses(pairs);
  } finally {
    for (const [, copy] of pairs) rmSync(copy, { force: true });
  }
}

async function main() {
  const parser = await createNixParser(findParserFiles([join(root, 'dist')]));
  const hasNix = spawnSync('nix-instantiate', ['--version']).status === 0;
  const corpora = ['nixpkgs-slim', 'home-manager'].map((name) => ({ name, files: nixFilesUnder(unpackedSource(root, name)) }));

  const summary: string[][] = [];
  const constructs = new Map<string, number>();
  const notes: string[] = [];
  for (const { name, files } of corpora) {
    const result = runCorpus(parser, files);
    const meaning = hasNix ? meaningCheck(result.changed) : undefined;
    for (const [construct, count] of result.constructs) constructs.set(construct, (constructs.get(construct) ?? 0) + count);
    const formatted = result.files - result.refused.length;
    summary.push([
      name,
      String(result.files),
      `${result.unchanged} (${percent(result.unchanged, result.files)})`,
      `${result.idempotent} / ${formatted} (${percent(result.idempotent, formatted)})`,
      meaning ? `${meaning.checked - meaning.differing.length - meaning.failed.length} / ${meaning.checked} same${meaning.failed.length ? `, ${meaning.failed.length} unreadable` : ''}` : 'no nix-instantiate',
      String(result.refused.length),
      `${(result.formatMs / 1000).toFixed(1)} s (CPU ${(result.formatCpuMs / 1000).toFixed(1)} s)`,
      `${(result.parseMs / 1000).toFixed(1)} s`,
      name === 'nixpkgs-slim' ? meets(result.formatMs + result.parseMs, 60_000) : '',
    ]);
    notes.push(...result.refused.slice(0, 5).map((line) => `refused (${name}): ${line}`));
    if (meaning) notes.push(...meaning.differing.slice(0, 5).map((file) => `MEANING CHANGED (${name}): ${file}`));
  }
  printTable(
    ['corpus', 'files', 'format(file) === file', 'idempotent', 'nix-instantiate --parse before = after (changed files)', 'refused', 'format time', 'parse time (baseline)', 'tree ≤ 60 s'],
    summary,
  );
  console.log('');
  printTable(
    ['construct at the first differing line', 'files'],
    [...constructs].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([construct, count]) => [construct, String(count)]),
  );

  // Files in another style: the nixpkgs corpus with every line's indentation stripped (a sample).
  const sample = corpora[0]!.files.filter((_, index) => index % 20 === 0);
  let stable = 0;
  let formattedCount = 0;
  for (const file of sample) {
    const stripped = readFileSync(file, 'utf8').replace(/^[ \t]+/gm, '');
    const once = formatsTo(parser, stripped);
    if (once === undefined) continue;
    formattedCount++;
    if (formatsTo(parser, once) === once) stable++;
  }
  console.log('');
  printTable(['other style', 'files', 'idempotent'], [['nixpkgs-slim sample, indentation stripped', String(formattedCount), `${stable} (${percent(stable, formattedCount)})`]]);

  // The biggest single file.
  const allPackages = corpora[0]!.files.find((file) => file.endsWith('pkgs/top-level/all-packages.nix'));
  if (allPackages) {
    const text = readFileSync(allPackages, 'utf8');
    const parse = await timeRuns(5, () => parser.parse(text)!.delete());
    const tree = parser.parse(text)!;
    const format = await timeRuns(5, () => formatTree(text, tree));
    const cpu: number[] = [];
    for (let run = 0; run < 5; run++) {
      const before = process.cpuUsage();
      formatTree(text, tree);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }
    tree.delete();
    console.log('');
    printTable(
      ['all-packages.nix', 'median', 'target'],
      [
        [`baseline: parse (${(text.length / 1024).toFixed(0)} KB)`, ms(median(parse)), ''],
        ['format (parse excluded)', ms(median(format)), `${meets(median(format), 200)} ≤ 200 ms`],
        ['format (parse excluded), CPU time', ms(median(cpu)), `${meets(median(cpu), 200)} ≤ 200 ms`],
        ['parse + format', ms(median(parse) + median(format)), ''],
      ],
    );
  }
  for (const note of notes) console.log(note);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
