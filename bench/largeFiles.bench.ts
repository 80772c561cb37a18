// The server's memory with the largest files of nixpkgs open: peak RSS (VmHWM) while each is
// opened, diagnosed, hovered, highlighted (semantic tokens, then a delta after each keystroke, as
// VS Code asks for them) and edited. The five largest `.nix` files of nixpkgs are 0.75–3.2 MB;
// the three over `nixNur.maxFileSize` (1,000,000 characters) are not parsed, so both sets are
// measured: the five largest, and the five largest that are analysed. Baselines in the same run:
// the server with one small file open, and a bare `node` process.
//
// nixpkgs comes from ../shared/data/sources/nixpkgs-slim.tar.gz, unpacked into .cache/ once.
// `npm run bench largeFiles`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../test/support/lspClient';
import { processMemory } from './support/lspServer';
import { mb, meets, ms, printTable } from './support/stats';

const LIMIT_MB = 200;
const MAX_FILE_SIZE = 1_000_000;
const root = process.cwd();
const archive = join(root, '..', 'shared', 'data', 'sources', 'nixpkgs-slim.tar.gz');
const unpacked = join(root, '.cache', 'nixpkgs-slim');

function nixpkgs(): string | undefined {
  const tree = join(unpacked, 'nixpkgs-slim');
  if (existsSync(tree)) return tree;
  if (!existsSync(archive)) return undefined;
  mkdirSync(unpacked, { recursive: true });
  execFileSync('tar', ['xzf', archive, '-C', unpacked]);
  return tree;
}

function nixFiles(dir: string, found: { path: string; size: number }[] = []): { path: string; size: number }[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) nixFiles(path, found);
    else if (entry.name.endsWith('.nix')) found.push({ path, size: statSync(path).size });
  }
  return found;
}

/** Opens the files one after another in a fresh server, works on each, and reads its peak RSS. */
async function peakWith(files: string[], tree: string): Promise<{ peakMB: number; rssMB: number; took: number }> {
  const { client } = await TestClient.start({ initializationOptions: { nixNur: { diagnostics: { debounceMs: 0 } } } });
  const start = performance.now();
  let version = 0;
  for (const path of files) {
    const uri = pathToFileURL(path).href;
    const text = readFileSync(path, 'utf8');
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1, 120_000);
    const line = Math.floor(text.split('\n').length / 2);
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: 4 } });
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    let tokens = await client.request<{ resultId: string }>('textDocument/semanticTokens/full', { textDocument: { uri } });
    // A few keystrokes in the middle of the file, each diagnosed.
    version = 1;
    for (let i = 0; i < 5; i++) {
      await client.change(uri, ++version, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }]);
      await client.diagnosticsFor(uri, version, 120_000);
      tokens = await client.request<{ resultId: string }>('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: tokens.resultId });
    }
    process.stderr.write(`  ${relative(tree, path)}: ${mb(processMemory(client.process.pid!).peakMB)} peak so far\n`);
  }
  const took = performance.now() - start;
  const memory = processMemory(client.process.pid!);
  await client.stop();
  return { ...memory, took };
}

async function main() {
  const tree = nixpkgs();
  if (!tree) {
    console.log(`No nixpkgs (${archive}): skipped.`);
    return;
  }
  const all = nixFiles(tree).sort((a, b) => b.size - a.size);
  const largest = all.slice(0, 5);
  const largestAnalysed = all.filter((f) => f.size <= MAX_FILE_SIZE).slice(0, 5);
  const rows: string[][] = [];
  const bare = spawnSync(process.execPath, ['-e', "const s=require('fs').readFileSync('/proc/self/status','utf8');console.log(/VmHWM:\\s+(\\d+)/.exec(s)[1])"], { encoding: 'utf8' });
  rows.push(['baseline: bare node', mb(Number(bare.stdout.trim()) / 1024), '', '']);
  const small = await peakWith([join(tree, 'pkgs', 'by-name', 'he', 'hello', 'package.nix')].filter(existsSync), tree);
  rows.push(['baseline: server, one small file', mb(small.peakMB), '', '']);
  for (const [what, files] of [
    ['five largest analysed files', largestAnalysed],
    ['five largest files (three over maxFileSize)', largest],
  ] as const) {
    const sizes = files.map((f) => `${relative(tree, f.path)} ${(f.size / 1e6).toFixed(2)} MB`).join('; ');
    process.stderr.write(`${what}: ${sizes}\n`);
    const result = await peakWith(
      files.map((f) => f.path),
      tree,
    );
    rows.push([`server, ${what} open`, mb(result.peakMB), meets(result.peakMB, LIMIT_MB), ms(result.took)]);
  }
  console.log(`Peak RSS limit: ${LIMIT_MB} MB. Files: open, diagnostics, hover, symbols, semantic tokens, five edits each (each with a tokens delta).\n`);
  printTable(['what', 'peak RSS', `≤ ${LIMIT_MB} MB`, 'time'], rows);
}

void main();
