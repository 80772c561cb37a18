// Evaluates a repository the way NUR does before it accepts a commit: `nix-env -qa` over the
// repository called with nixpkgs' `pkgs`, in restricted evaluation mode (no network, no files
// outside the repository and nixpkgs), forcing every package's metadata and derivation. Errors come
// back as diagnostics on the repository's own files; success lists the packages NUR would show.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver-types';
import { isFilePosition, nixErrorOf, type NixError } from '../nix/nixErrors';
import { parseNixLog, Verbosity, type NixPosition } from '../nix/internalJson';
import { ProgramNotFoundError } from '../nix/process';
import type { NurDependencies } from './dependencies';
import { parseNixEnvXml } from './nixEnvXml';
import { nixFile } from './nixText';
import { stripAnsi } from '../nix/ansi';

/** Generous next to NUR's own limit, because the first evaluation also fills the store with nixpkgs' .drv files. */
export const CHECK_TIMEOUT_MS = 180_000;

/** The only URI NUR lets evaluation fetch from (the Rust toolchain manifests). */
const NUR_ALLOWED_URIS = 'https://static.rust-lang.org';

export interface CheckOptions {
  /** Absolute path of the repository root. */
  root: string;
  /** The nixpkgs to evaluate against (a path, as for `-I nixpkgs=…`); `<nixpkgs>` from NIX_PATH when absent. */
  nixpkgs?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface CheckedPackage {
  /** The attribute, `nur.repos.<name>.<attr>` once in NUR. */
  attr: string;
  name: string;
  pname?: string;
  version?: string;
  description?: string;
}

export interface FileDiagnostics {
  path: string;
  uri: string;
  diagnostics: Diagnostic[];
}

export interface CheckResult {
  ok: boolean;
  /** One sentence for a notification. */
  message: string;
  packages: CheckedPackage[];
  /** Evaluation errors on the files they concern (every repository file that has none is not listed). */
  diagnostics: FileDiagnostics[];
  /** Warnings Nix printed (e.g. `lib.warn`), as text. */
  warnings: string[];
  /** The command that was run, for reproducing it in a terminal. */
  command: string[];
  timedOut?: boolean;
  cancelled?: boolean;
}

export const CHECK_SOURCE = 'nur check';

/**
 * The expression nix-env evaluates: it calls the repository the way NUR's CI calls it (only
 * `pkgs` is passed; a repository whose function wants more is called through callPackages, which
 * NUR accepts with a deprecation warning).
 */
function evaluationWrapper(): string {
  return nixFile([
    '# Written by nix-nur for one check and deleted afterwards.',
    '{ repositoryFile }:',
    '',
    'let',
    '  pkgs = import <nixpkgs> { };',
    '  file = /. + repositoryFile;',
    '  repository = import file;',
    '  wanted = builtins.functionArgs repository;',
    '  passed = { inherit pkgs; };',
    '  needsMore = builtins.any (name: !(passed ? ${name}) && !wanted.${name}) (builtins.attrNames wanted);',
    'in',
    'if !builtins.isFunction repository then repository',
    'else if needsMore then',
    '  builtins.trace "warning: default.nix takes more than `pkgs`; NUR calls such repositories through callPackages and warns that this is deprecated"',
    '    (pkgs.callPackages file { })',
    'else repository (builtins.intersectAttrs wanted passed)',
  ]);
}

export async function checkRepository(options: CheckOptions, deps: NurDependencies): Promise<CheckResult> {
  const root = options.root;
  const repositoryFile = join(root, 'default.nix');
  const failure = (message: string, extra: Partial<CheckResult> = {}): CheckResult => ({
    ok: false,
    message,
    packages: [],
    diagnostics: [],
    warnings: [],
    command: [],
    ...extra,
  });
  if (!existsSync(repositoryFile)) return failure(`${root} has no default.nix, so NUR has nothing to evaluate.`);

  let nixpkgs = options.nixpkgs?.trim() || undefined;
  if (nixpkgs?.startsWith('-')) return failure(`'${nixpkgs}' is not a nixpkgs path.`);
  if (nixpkgs && isAbsolute(nixpkgs) && !existsSync(nixpkgs)) return failure(`The nixpkgs path ${nixpkgs} does not exist.`);
  const env = checkEnvironment(deps.env ?? process.env);

  const scratch = mkdtempSync(join(tmpdir(), 'nix-nur-check-'));
  try {
    if (!nixpkgs) {
      nixpkgs = await findNixpkgs(deps, env, options.signal);
      if (!nixpkgs) return failure('No nixpkgs to evaluate against: NIX_PATH has no nixpkgs entry. Pass a nixpkgs path or set NIX_PATH.');
    }
    const wrapper = join(scratch, 'evaluate-repository.nix');
    writeFileSync(wrapper, evaluationWrapper());
    const emptyConfig = join(scratch, 'nixpkgs-config.nix');
    writeFileSync(emptyConfig, '{ }\n');
    env.NIXPKGS_CONFIG = emptyConfig;

    const args = [
      '-f', wrapper,
      '--argstr', 'repositoryFile', repositoryFile,
      '-qa', '*',
      '--meta', '--xml', '--drv-path', '--show-trace',
      '--log-format', 'internal-json',
      '--allowed-uris', NUR_ALLOWED_URIS,
      '--option', 'restrict-eval', 'true',
      '--option', 'allow-import-from-derivation', 'true',
      '-I', `nixpkgs=${nixpkgs}`,
      // Named entries, so a path that contains '=' is not split; each one opens its directory to
      // restricted evaluation.
      '-I', `nur-repository=${root}`,
      '-I', `nur-check=${scratch}`,
    ];
    const command = ['nix-env', ...args];
    let result;
    try {
      result = await deps.run('nix-env', args, { cwd: root, env, timeoutMs: options.timeoutMs ?? CHECK_TIMEOUT_MS, signal: options.signal });
    } catch (error) {
      if (error instanceof ProgramNotFoundError) return failure('nix-env was not found: install Nix or put it on the PATH of the language server.', { command });
      throw error;
    }
    if (result.cancelled) return failure('The check was cancelled.', { command, cancelled: true });
    if (result.timedOut) {
      const seconds = Math.round((options.timeoutMs ?? CHECK_TIMEOUT_MS) / 1000);
      return failure(`The evaluation did not finish within ${seconds} s; NUR gives up on slow repositories too.`, { command, timedOut: true });
    }

    const { errors, warnings } = readMessages(result.stderr);
    if (result.code === 0) {
      const packages = parsePackages(result.stdout);
      if (!packages) return failure('nix-env succeeded but its package list cannot be read.', { command, warnings });
      const count = packages.length;
      return {
        ok: true,
        message: `The repository evaluates as NUR evaluates it: ${count} package${count === 1 ? '' : 's'}.`,
        packages,
        diagnostics: [],
        warnings,
        command,
      };
    }
    const diagnostics = diagnosticsFor(errors, root, repositoryFile, [wrapper]);
    const first = errors[0]?.summary ?? lastLines(stripAnsi(result.stderr)) ?? `nix-env exited with code ${result.code}`;
    if (errors.length === 0) {
      diagnostics.push(fileDiagnostics(repositoryFile, [diagnosticAt(repositoryFile, undefined, first)]));
    }
    return failure(`NUR could not evaluate the repository: ${first}`, { diagnostics, warnings, command });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The environment of the check: the caller's, minus what NUR does not have. `<nixpkgs>` comes only
 * from `-I`, the user's nixpkgs config and NIXPKGS_ALLOW_* switches do not apply, and packages
 * for other platforms are evaluated rather than refused.
 */
function checkEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (key === 'NIX_PATH' || key.startsWith('NIXPKGS_')) continue;
    env[key] = value;
  }
  env.NIXPKGS_ALLOW_UNSUPPORTED_SYSTEM = '1';
  return env;
}

async function findNixpkgs(deps: NurDependencies, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const result = await deps.run('nix-instantiate', ['--find-file', 'nixpkgs'], { env: { ...env, NIX_PATH: (deps.env ?? process.env).NIX_PATH }, timeoutMs: 30_000, signal });
    const path = result.stdout.trim();
    return result.code === 0 && path ? path : undefined;
  } catch {
    return undefined;
  }
}

function readMessages(stderr: string): { errors: NixError[]; warnings: string[] } {
  const errors: NixError[] = [];
  const warnings: string[] = [];
  for (const event of parseNixLog(stderr)) {
    if (event.action !== 'msg') continue;
    const text = stripAnsi(event.msg).trim();
    // `builtins.trace` output arrives at error level; it is not an error.
    if (text.startsWith('trace: ')) {
      warnings.push(text.slice('trace: '.length));
    } else if (event.level === Verbosity.Error) {
      errors.push(nixErrorOf(event));
    } else if (event.level === Verbosity.Warn) {
      warnings.push(text.replace(/^warning:\s*/, ''));
    }
  }
  return { errors, warnings };
}

function parsePackages(stdout: string): CheckedPackage[] | undefined {
  return parseNixEnvXml(stdout)?.map((item) => ({
    attr: item.attrPath,
    name: item.name,
    pname: item.pname || undefined,
    version: item.version || undefined,
    description: item.meta.description || undefined,
  }));
}

function isInside(root: string, file: string): boolean {
  const path = relative(root, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

/**
 * Each error goes to the first place in the repository on its way out: its own position when the
 * mistake is in the repository, else the innermost repository frame that led to it (an error
 * raised inside nixpkgs is reported where the repository called nixpkgs).
 */
function diagnosticsFor(errors: NixError[], root: string, fallbackFile: string, ignored: string[]): FileDiagnostics[] {
  const byFile = new Map<string, Diagnostic[]>();
  const add = (file: string, diagnostic: Diagnostic) => {
    const list = byFile.get(file) ?? [];
    list.push(diagnostic);
    byFile.set(file, list);
  };
  for (const error of errors) {
    const places = [{ message: error.summary, position: error.position }, ...error.trace]
      .filter((place): place is { message: string; position: NixPosition } => isFilePosition(place.position))
      .filter((place) => isInside(root, place.position.file) && !ignored.includes(place.position.file));
    const primary = places[0];
    const file = primary?.position.file ?? fallbackFile;
    const diagnostic = diagnosticAt(file, primary?.position, error.summary);
    if (!primary) {
      // Nowhere in the repository to point at (older Nix reports some errors only inside nixpkgs):
      // the trace's own words say which package and attribute it was.
      const context = error.trace.map((frame) => frame.message).filter((message) => message !== '');
      if (context.length > 0) diagnostic.message += `\n${context.map((message) => `… ${message}`).join('\n')}`;
    } else if (primary.position !== error.position && isFilePosition(error.position)) {
      diagnostic.message += `\n(raised at ${error.position.file}:${error.position.line}:${error.position.column})`;
    }
    const related: DiagnosticRelatedInformation[] = places.slice(1).map((place) => ({
      location: { uri: pathToFileURL(place.position.file).href, range: rangeAt(place.position.file, place.position) },
      message: place.message || 'called from here',
    }));
    if (related.length > 0) diagnostic.relatedInformation = related;
    add(file, diagnostic);
  }
  return [...byFile].map(([file, diagnostics]) => fileDiagnostics(file, diagnostics));
}

function fileDiagnostics(file: string, diagnostics: Diagnostic[]): FileDiagnostics {
  return { path: file, uri: pathToFileURL(file).href, diagnostics };
}

function diagnosticAt(file: string, position: NixPosition | undefined, message: string): Diagnostic {
  return { range: rangeAt(file, position), severity: DiagnosticSeverity.Error, source: CHECK_SOURCE, code: 'nur/evaluation-error', message };
}

/** The range of the word Nix points at (Nix counts lines and columns from 1). */
function rangeAt(file: string, position: NixPosition | undefined): Range {
  if (!position) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const line = Math.max(0, position.line - 1);
  const character = Math.max(0, position.column - 1);
  let length = 1;
  try {
    const text = readFileSync(file, 'utf8').split('\n')[line] ?? '';
    const word = /^[A-Za-z0-9_'.-]+/.exec(text.slice(character));
    length = word ? word[0].length : 1;
  } catch {
    // The file is gone or unreadable; one character still points at the place.
  }
  return { start: { line, character }, end: { line, character: character + length } };
}

function lastLines(text: string): string | undefined {
  const lines = text.trim().split('\n').filter((line) => !line.startsWith('@nix '));
  return lines.length ? lines.slice(-3).join('\n') : undefined;
}
