// `nix-nur-language-server --format [--check] [PATH…]`: the built-in formatter on the command
// line, for CI and treefmt. Files are rewritten in place only when they change; directories are
// searched for `.nix` files; no path formats standard input to standard output. Exit codes as
// nixfmt's: 0 all well, 1 some file was not formatted (with --check) or could not be formatted,
// 2 a usage error.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { formatChecked } from './format/formatter';
import { createNixParser } from './syntax/parser';

export const FORMAT_USAGE = [
  '--format [--check] [PATH…]',
  '    Format .nix files (directories are searched) in the official Nix style, in place;',
  '    no PATH: standard input to standard output. --check changes nothing and exits 1',
  '    when some file is not formatted.',
];

interface Output {
  out(text: string): void;
  err(text: string): void;
}

export async function runFormatCommand(args: string[], io: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number> {
  const check = args.includes('--check');
  const paths = args.filter((arg) => arg !== '--format' && arg !== '--check');
  const unknown = paths.find((arg) => arg.startsWith('-') && arg !== '-');
  if (unknown) {
    io.err(`unknown option ${unknown}\nUsage: nix-nur-language-server ${FORMAT_USAGE.join('\n')}\n`);
    return 2;
  }
  const parser = await createNixParser();
  if (paths.length === 0 || (paths.length === 1 && paths[0] === '-')) return formatStdin(parser, check, io);
  let status = 0;
  for (const file of paths.flatMap((path) => nixFiles(path, io))) {
    const result = formatFile(parser, file, check, io);
    if (result > status) status = result;
  }
  if (paths.some((path) => !exists(path))) status = Math.max(status, 1);
  return status;
}

function formatStdin(parser: Parser, check: boolean, io: Output): number {
  const text = readFileSync(0, 'utf8');
  const result = formatChecked(text, parser);
  if (!result.ok) {
    io.err(`<stdin>: ${result.message}\n`);
    return 1;
  }
  if (check) {
    if (result.text === text) return 0;
    io.err('<stdin>: not formatted\n');
    return 1;
  }
  io.out(result.text);
  return 0;
}

function formatFile(parser: Parser, file: string, check: boolean, io: Output): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.err(`${file}: cannot be read: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const result = formatChecked(text, parser);
  if (!result.ok) {
    io.err(`${file}: ${result.message}\n`);
    return 1;
  }
  if (result.text === text) return 0;
  if (check) {
    io.err(`${file}: not formatted\n`);
    return 1;
  }
  writeFileSync(file, result.text);
  return 0;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The file itself, or the `.nix` files under a directory (hidden directories skipped), sorted. */
function nixFiles(path: string, io: Output): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    io.err(`${path}: no such file or directory\n`);
    return [];
  }
  if (!stat.isDirectory()) return [path];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const child = join(dir, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith('.nix')) found.push(child);
    }
  };
  walk(path);
  return found;
}
