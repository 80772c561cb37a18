// Every refactoring, applied at sampled sites of real files (nixpkgs-slim and home-manager from
// ../shared/data/sources): the result must still parse — by tree-sitter and by Nix itself
// (`nix-instantiate --parse`, which also rejects names left undefined) — and for the rewrites that
// keep meaning (inherit conversions, quoting, string kinds, URL to string, flatten/pack), Nix's
// parse of the result must equal its parse of the original. JSON to Nix runs on real JSON files,
// and Nix must evaluate the result to what `builtins.fromJSON` reads from the file. Prints what it found per refactoring
// and the first failures in full.
//
// `npm run bench refactoringCorpus` (needs `nix-instantiate` on PATH; NIX_NUR_CORPUS_FILES sets
// the number of files sampled, default 400, and NIX_NUR_CORPUS_SITES the sites per refactoring,
// default 120).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { analyzeTree } from '../server/src/analysis/analysis';
import type { SyntaxNode } from '../server/src/analysis/syntaxTree';
import type { AssistContext, AssistResult, OffsetEdit } from '../server/src/features/assists/assist';
import { ASSISTS } from '../server/src/features/assists/assists';
import { jsonToNix } from '../server/src/features/assists/jsonToNix';
import { parseNix } from '../server/src/syntax/grammarText';
import { createNixParser } from '../server/src/syntax/parser';
import { syntaxProblems } from '../server/src/syntax/syntaxErrors';
import { filesUnder, nixFilesUnder, seededRandom, sourceTree, sourcesDir } from './support/sourceCorpus';
import { printTable } from './support/stats';

const FILES = Number(process.env.NIX_NUR_CORPUS_FILES ?? 400);
/** Sites checked per refactoring, over the whole sample. */
const SITES_PER_ASSIST = Number(process.env.NIX_NUR_CORPUS_SITES ?? 120);
/** Rewrites Nix's parser must see as the same expression. */
const MEANING_PRESERVING = new Set(['inheritConversion', 'attrNameQuoting', 'stringKinds', 'uriToString', 'attrsetNesting', 'jsonToNix']);

interface Tally {
  sites: number;
  parses: number;
  nixParses: number;
  sameParse: number;
  /** Of those, how many only once the bindings of a set are taken in any order. */
  reordered: number;
  failures: string[];
}

function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  let result = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, e.start) + e.newText + result.slice(e.end);
  return result;
}

/**
 * Nix 2.8's parse, with spellings of one thing made one: `inherit a ;` (printed as written) and
 * `a = a;`; `((x).b).c` (`inherit (x.b) c;`) and `(x).b.c` (`c = x.b.c;`); a string's literal
 * pieces, which it prints as they were lexed.
 */
function normalize(parsed: string): string {
  let text = parsed.replace(/inherit ([^\s;()]+) ;/g, '$1 = $1;');
  // Nix prints a string as the lexer's tokens: `("a" + "\$" + "{b}")` is `"a\${b}"`.
  // A closing quote is one after an even number of backslashes.
  text = text.replace(/((?:^|[^\\])(?:\\\\)*)" \+ "/g, '$1').replace(/\(("(?:[^"\\]|\\.)*")\)/g, '$1');
  // Stripping an indented string's indentation can leave an empty first piece: `"" + x` is `x` in
  // an interpolating string (both are coerced to a string, whatever `x` is).
  text = text.replace(/\(""\s\+\s/g, '(');
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(/\(\(([^()\s]+)\)((?:\.[^\s().;]+)+)\)/g, '($1)$2');
  }
  return text;
}

/**
 * Nix 2.8 prints a set's or `let`'s bindings in the order of its symbol table, which an edit
 * elsewhere in the file can change: the same bindings, cut at their boundaries, in any order.
 */
function sameUpToBindingOrder(a: string, b: string): boolean {
  const pieces = (text: string) => text.split(/; |\{ |\(let /).sort().join('\n');
  return pieces(a) === pieces(b);
}

/** Where two texts first differ, with a little of each around it. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `…${a.slice(Math.max(0, i - 40), i + 40)}… became …${b.slice(Math.max(0, i - 40), i + 40)}…`;
}

async function main(): Promise<void> {
  const nixCheck = spawnSync('nix-instantiate', ['--version'], { encoding: 'utf8' });
  if (nixCheck.status !== 0) throw new Error('nix-instantiate is needed on PATH');
  console.log(`Nix: ${nixCheck.stdout.trim()}`);
  const trees = ['nixpkgs-slim', 'home-manager'].map((name) => sourceTree(name)).filter((dir): dir is string => !!dir);
  if (trees.length === 0) throw new Error('no sources in ../shared/data/sources');
  const random = seededRandom(2026);
  const files: string[] = [];
  for (const [i, dir] of trees.entries()) {
    const all = nixFilesUnder(dir);
    const share = i === 0 ? Math.ceil(FILES * 0.75) : FILES - Math.ceil(FILES * 0.75);
    for (let k = 0; k < share && all.length; k++) files.push(all.splice(Math.floor(random() * all.length), 1)[0]!);
  }

  const parser = await createNixParser();
  const work = mkdtempSync(join(tmpdir(), 'nix-nur-corpus-'));
  const nixParse = (text: string, name: string): { ok: boolean; output: string } => {
    const path = join(work, name);
    writeFileSync(path, text);
    const run = spawnSync('nix-instantiate', ['--parse', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { ok: run.status === 0, output: run.status === 0 ? run.stdout : run.stderr.split('\n').slice(0, 3).join(' ') };
  };
  // Syntax problems as the server reports them: a grammar gap Nix accepts is none.
  const treeParses = (text: string) => {
    const tree = parser.parse(text)!;
    try {
      return syntaxProblems(tree).length === 0;
    } finally {
      tree.delete();
    }
  };

  const tallies = new Map<string, Tally>(ASSISTS.map((a) => [a.name, { sites: 0, parses: 0, nixParses: 0, sameParse: 0, reordered: 0, failures: [] }]));
  let skipped = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (text.length > 300_000 || !treeParses(text)) {
      skipped++;
      continue;
    }
    const tree = parseNix(parser, text)!;
    const analysis = analyzeTree(tree, text);
    tree.delete();
    const original = nixParse(text, 'default.nix');
    // Files Nix itself rejects as they are (a grammar the old Nix lacks) say nothing here.
    if (!original.ok) {
      skipped++;
      continue;
    }
    const nodes: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [analysis.root];
    while (stack.length) {
      const node = stack.pop()!;
      nodes.push(node);
      stack.push(...node.children);
    }
    const where = relative(sourcesDir, file);
    for (const assist of ASSISTS) {
      const tally = tallies.get(assist.name)!;
      if (tally.sites >= SITES_PER_ASSIST) continue;
      // A few sites per file and refactoring, from nodes in random order.
      let tried = 0;
      for (let attempt = 0; attempt < 60 && tried < 2 && tally.sites < SITES_PER_ASSIST; attempt++) {
        const node = nodes[Math.floor(random() * nodes.length)]!;
        const contexts: AssistContext[] = [
          { analysis, start: node.start, end: node.start, canCreateFiles: true, siblingExists: () => false },
          { analysis, start: node.start, end: node.end, canCreateFiles: true, siblingExists: () => false },
        ];
        let results: AssistResult[] = [];
        for (const context of contexts) {
          results = assist(context);
          if (results.length) break;
        }
        const result = results[Math.floor(random() * results.length)];
        if (!result) continue;
        tried++;
        tally.sites++;
        const changed = applyEdits(text, result.edits);
        const line = text.slice(0, node.start).split('\n').length;
        const site = `${where}:${line} ${result.title}`;
        if (treeParses(changed)) tally.parses++;
        else tally.failures.push(`${site}: tree-sitter no longer parses it`);
        const parsed = nixParse(changed, 'default.nix');
        if (result.newFile) {
          const created = nixParse(result.newFile.text, basename(result.newFile.name));
          if (!created.ok) tally.failures.push(`${site}: the new file does not parse: ${created.output}`);
        }
        if (!parsed.ok) {
          tally.failures.push(`${site}: Nix rejects the result: ${parsed.output}`);
          continue;
        }
        tally.nixParses++;
        if (!MEANING_PRESERVING.has(assist.name)) continue;
        const [before, after] = [normalize(original.output), normalize(parsed.output)];
        if (before === after) tally.sameParse++;
        else if (sameUpToBindingOrder(before, after)) {
          tally.sameParse++;
          tally.reordered++;
        } else tally.failures.push(`${site}: Nix parses the result differently: ${firstDifference(before, after)}`);
      }
    }
  }
  // JSON to Nix on real JSON files: Nix must read the result as the value `builtins.fromJSON` reads.
  const jsonTally = tallies.get('jsonToNix')!;
  const jsonFiles = filesUnder(trees[0]!, '.json').filter((file) => statSync(file).size < 100_000);
  for (let k = 0; k < 30 && jsonFiles.length; k++) {
    const file = jsonFiles.splice(Math.floor(random() * jsonFiles.length), 1)[0]!;
    const json = readFileSync(file, 'utf8');
    const text = `{\n  value = ${json.trim()};\n}\n`;
    const tree = parseNix(parser, text)!;
    const analysis = analyzeTree(tree, text);
    tree.delete();
    const start = text.indexOf('=') + 2;
    const [result] = jsonToNix({ analysis, start, end: start + json.trim().length });
    if (!result) continue;
    jsonTally.sites++;
    const changed = applyEdits(text, result.edits);
    const site = `${relative(sourcesDir, file)} ${result.title}`;
    if (treeParses(changed)) jsonTally.parses++;
    else jsonTally.failures.push(`${site}: tree-sitter does not parse the result`);
    writeFileSync(join(work, 'value.json'), json);
    writeFileSync(join(work, 'value.nix'), changed);
    const same = spawnSync('nix-instantiate', ['--eval', '--strict', '-E', `(import ${join(work, 'value.nix')}).value == builtins.fromJSON (builtins.readFile ${join(work, 'value.json')})`], { encoding: 'utf8' });
    if (same.status === 0) jsonTally.nixParses++;
    if (same.status === 0 && same.stdout.trim() === 'true') jsonTally.sameParse++;
    else jsonTally.failures.push(`${site}: Nix reads another value: ${same.stdout.trim()} ${same.stderr.split('\n')[0]}`);
  }
  rmSync(work, { recursive: true, force: true });

  console.log(`${files.length} files sampled (${skipped} skipped: tree-sitter or Nix 2.8 does not parse them as they are)\n`);
  printTable(
    ['refactoring', 'sites', 'tree-sitter parses', 'Nix parses', 'same Nix parse', 'failures'],
    [...tallies].map(([name, t]) => [name, String(t.sites), String(t.parses), String(t.nixParses), MEANING_PRESERVING.has(name) ? `${t.sameParse}${t.reordered ? ` (${t.reordered} up to binding order)` : ''}` : '—', String(t.failures.length)]),
  );
  const failures = [...tallies.values()].flatMap((t) => t.failures);
  if (failures.length) {
    console.log('\nFailures:');
    for (const failure of failures.slice(0, 40)) console.log(`- ${failure}`);
  }
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
