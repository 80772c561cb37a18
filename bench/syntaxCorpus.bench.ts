// Agreement with Nix over a whole nixpkgs: every `.nix` file of ../shared/data's nixpkgs-slim is
// parsed by the server's syntax layer and by `nix-instantiate --parse`. A file Nix accepts must get
// no syntax error (and, since Nix also rejects undefined variables while parsing, no
// undefined-variable diagnostic); a file Nix rejects must get a syntax error, or an undefined
// variable where that is Nix's complaint. The archive is unpacked into `.cache/` once; Nix's verdicts
// are cached there by file content (`.cache/nix-parse-verdicts/`).
//
// Since nixpkgs is all valid, a second set checks that errors are still found where Nix finds them:
// copies of every 20th file, each with one change a person makes while typing (a delimiter deleted,
// or a comma put before a `}` — a trailing comma Nix accepts in argument sets and nowhere else),
// written under `.cache/syntax-corpus-mutants/` and judged by Nix and here alike.
//
// `npm run bench syntaxCorpus`. Set NIX_NUR_CORPUS to a directory of `.nix` files to check another tree.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeTree } from '../server/src/analysis/analysis';
import { syntaxDiagnostics } from '../server/src/features/diagnostics';
import { localDiagnostics } from '../server/src/features/local/diagnostics';
import { NixDocument } from '../server/src/syntax/document';
import { createNixParser, findParserFiles } from '../server/src/syntax/parser';
import { corpusArchive, corpusDirectory, nixFiles } from './support/nixpkgsCorpus';
import { printTable } from './support/stats';
import { nixParseVerdicts, nixVersion, type NixVerdict } from './support/nixParseVerdicts';
import { seededRandom } from '../test/support/random';

const root = process.cwd();

interface Finding {
  file: string;
  what: string;
}

async function main() {
  const dir = corpusDirectory(root);
  if (!dir) {
    console.log(`No corpus: ${corpusArchive(root)} is missing. Nothing measured.`);
    return;
  }
  const nixInstantiate = process.env.NIX_INSTANTIATE ?? 'nix-instantiate';
  const version = await nixVersion(nixInstantiate);
  if (!version) {
    console.log('No nix-instantiate on PATH (or NIX_INSTANTIATE): nothing to compare with.');
    if (process.env.CI) process.exitCode = 1;
    return;
  }
  const files = nixFiles(dir);
  const nixStarted = performance.now();
  const verdicts = await nixParseVerdicts(nixInstantiate, version, files, join(root, '.cache', 'nix-parse-verdicts'), (left) =>
    process.stderr.write(`\rasking Nix ${version} about ${left} files…   `),
  );
  const nixSeconds = (performance.now() - nixStarted) / 1000;
  process.stderr.write('\r');

  const parser = await createNixParser(findParserFiles([join(root, 'dist')]));
  const started = performance.now();
  const whole = compare(parser, dir, files, verdicts);
  const ourSeconds = (performance.now() - started) / 1000;
  console.log(`Corpus: ${relative(root, dir) || dir} — ${files.length} .nix files; reference: nix-instantiate ${version} --parse\n`);
  printComparison(whole);
  console.log(`\nNix: ${nixSeconds.toFixed(1)} s (cached verdicts are not asked again); parse, syntax errors and analysis here: ${ourSeconds.toFixed(1)} s.`);

  const mutantsDir = join(root, '.cache', 'syntax-corpus-mutants');
  const mutants = writeMutants(dir, files.filter((_, i) => i % 20 === 0), mutantsDir);
  const mutantVerdicts = await nixParseVerdicts(nixInstantiate, version, mutants, join(root, '.cache', 'nix-parse-verdicts'));
  process.stderr.write('\r');
  console.log(`\nBroken on purpose: ${mutants.length} copies of every 20th file, each with one delimiter deleted or a comma put before a '}'\n`);
  printComparison(compare(parser, mutantsDir, mutants, mutantVerdicts));
}

interface Comparison {
  files: number;
  accepted: number;
  agree: number;
  falseErrors: Finding[];
  falseUndefined: Finding[];
  missedErrors: Finding[];
}

/** The server's syntax errors and undefined variables on each file, against Nix's verdict. */
function compare(parser: Parser, dir: string, files: readonly string[], verdicts: Map<string, NixVerdict>): Comparison {
  let accepted = 0;
  let agree = 0;
  const falseErrors: Finding[] = [];
  const missedErrors: Finding[] = [];
  const falseUndefined: Finding[] = [];
  for (const file of files) {
    const verdict = verdicts.get(file)!;
    const text = readFileSync(file, 'utf8');
    const document = new NixDocument(`file://${file}`, 1, text, parser);
    try {
      const syntax = syntaxDiagnostics(document);
      const analysis = analyzeTree(document.tree, document.content);
      const undefinedNames = localDiagnostics(analysis, document.uri).filter((d) => d.code === 'undefined-variable');
      const where = (d: Diagnostic) =>
        `${relative(dir, file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`;
      if (verdict.accepted) {
        accepted++;
        if (syntax.length === 0 && undefinedNames.length === 0) agree++;
        if (syntax.length > 0) falseErrors.push({ file, what: where(syntax[0]!) });
        if (undefinedNames.length > 0) falseUndefined.push({ file, what: where(undefinedNames[0]!) });
      } else {
        const nixSaysUndefined = /undefined variable/.test(verdict.message ?? '');
        const reported = nixSaysUndefined ? undefinedNames.length > 0 || syntax.length > 0 : syntax.length > 0;
        if (reported) agree++;
        else missedErrors.push({ file, what: `${relative(dir, file)}: Nix: ${verdict.message}` });
      }
    } finally {
      document.dispose();
    }
  }
  return { files: files.length, accepted, agree, falseErrors, falseUndefined, missedErrors };
}

function printComparison({ files, accepted, agree, falseErrors, falseUndefined, missedErrors }: Comparison): void {
  const rejected = files - accepted;
  const percent = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(2)} %` : '');
  printTable(
    ['', 'files', 'share'],
    [
      ['Nix accepts', String(accepted), percent(accepted, files)],
      ['Nix rejects', String(rejected), percent(rejected, files)],
      ['same verdict as Nix', String(agree), percent(agree, files)],
      ['syntax error on a file Nix accepts', String(falseErrors.length), percent(falseErrors.length, accepted)],
      ['undefined variable in a file Nix accepts', String(falseUndefined.length), percent(falseUndefined.length, accepted)],
      ['nothing reported on a file Nix rejects', String(missedErrors.length), percent(missedErrors.length, rejected)],
    ],
  );
  for (const [title, list] of [
    ['Syntax errors on files Nix accepts', falseErrors],
    ['Undefined variables in files Nix accepts', falseUndefined],
    ['Files Nix rejects with nothing reported', missedErrors],
  ] as const) {
    if (list.length === 0) continue;
    console.log(`\n${title} (first 15 of ${list.length}):`);
    for (const finding of list.slice(0, 15)) console.log(`- ${finding.what}`);
  }
}

const DELIMITERS = new Set([';', '{', '}', '[', ']', '(', ')', '=', ',', ':']);

/**
 * One changed copy of each file under `into`, the same relative path: a delimiter deleted, or a
 * comma put before a `}` (in turn). The choice is seeded by the file's place, so reruns write the
 * same copies and Nix's cached verdicts hold.
 */
function writeMutants(dir: string, files: readonly string[], into: string): string[] {
  const written: string[] = [];
  files.forEach((file, i) => {
    const text = readFileSync(file, 'utf8');
    const random = seededRandom(i + 1);
    const wanted = i % 2 === 0 ? (c: string) => DELIMITERS.has(c) : (c: string) => c === '}';
    const candidates: number[] = [];
    for (let at = 0; at < text.length; at++) if (wanted(text[at]!)) candidates.push(at);
    if (candidates.length === 0) return;
    const at = candidates[Math.floor(random() * candidates.length)]!;
    const mutated = i % 2 === 0 ? text.slice(0, at) + text.slice(at + 1) : `${text.slice(0, at)},${text.slice(at)}`;
    const target = join(into, relative(dir, file));
    mkdirSync(dirname(target), { recursive: true });
    if (!existsSync(target) || readFileSync(target, 'utf8') !== mutated) writeFileSync(target, mutated);
    written.push(target);
  });
  return written;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
