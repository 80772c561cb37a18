// What NUR will reject, or users will miss, in a file of a NUR repository — found while typing,
// from the syntax tree alone (and whether paths exist):
// - a package that imports <nixpkgs> itself instead of taking its dependencies as arguments;
// - `callPackage ./x` / `import ./x` of a path that is not there;
// - builtin fetchers without a hash or revision: NUR evaluates without network;
// - packages without meta.description, meta.license or meta.homepage (hints).
import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { nixString } from '../../nur/nixText';
import {
  attrpathNames,
  bindingsOf,
  calleeOf,
  calleeText,
  definedNames,
  flattenApplication,
  inheritedNames,
  isAttrset,
  namedChildren,
  rangeOf,
  unwrapExpression,
} from '../../nur/nixTree';

export const NUR_DIAGNOSTIC_SOURCE = 'nur';

export const NurDiagnosticCode = {
  importsNixpkgs: 'nur/imports-nixpkgs',
  missingPath: 'nur/missing-path',
  unpinnedFetch: 'nur/unpinned-fetch',
  missingMeta: 'nur/missing-meta',
  missingDescription: 'nur/missing-meta-description',
  missingLicense: 'nur/missing-meta-license',
  missingHomepage: 'nur/missing-meta-homepage',
} as const;

/** A quick fix carried in `Diagnostic.data`, so the code action request can hand it back. */
export interface NurQuickFix {
  title: string;
  edits: TextEdit[];
}

export interface NurDiagnosticData {
  fix?: NurQuickFix;
}

export type PathKind = 'file' | 'directory' | undefined;

export interface NurFileContext {
  /** Absolute path of the document. */
  path: string;
  /** The root of the NUR repository the document belongs to. */
  root: string;
  /** Whether a path is a file, a directory, or missing; the file system by default. */
  pathKind?: (path: string) => PathKind;
}

/** A 52-character base-32 SHA-256 of zeros: a valid hash that never matches, so Nix prints the real one. */
export const PLACEHOLDER_SHA256 = '0000000000000000000000000000000000000000000000000000';

const BUILDERS = new Set([
  'mkDerivation',
  'buildGoModule',
  'buildRustPackage',
  'buildPythonApplication',
  'buildPythonPackage',
  'buildNpmPackage',
  'buildDotnetModule',
  'buildDunePackage',
  'buildPerlPackage',
]);

const FETCHERS: Record<string, { pins: string[]; needs: string }> = {
  fetchTarball: { pins: ['sha256', 'narHash', 'hash'], needs: 'a sha256' },
  fetchurl: { pins: ['sha256', 'hash', 'narHash'], needs: 'a sha256' },
  fetchGit: { pins: ['rev', 'narHash'], needs: 'a rev' },
};

/** Builtins reachable without the `builtins.` prefix. */
const GLOBAL_FETCHERS = new Set(['fetchTarball', 'fetchGit']);

export function nurDiagnostics(tree: Tree, context: NurFileContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const pathKind = context.pathKind ?? pathKindOnDisk;
  const inPackages = isUnder(resolve(context.root, 'pkgs'), context.path);
  const applications = tree.rootNode.descendantsOfType('apply_expression').filter((node): node is Node => node !== null);
  // A curried call `f a b` is two apply nodes; look at it once, from the outermost.
  const inner = new Set<number>();
  for (const node of applications) {
    const fn = node.childForFieldName('function');
    if (fn?.type === 'apply_expression') inner.add(fn.id);
  }
  for (const node of applications) {
    if (!inner.has(node.id)) checkApplication(node, context, pathKind, inPackages, diagnostics);
  }
  return diagnostics;
}

/** The last part of the names this file acts on; other calls are skipped after one look at the callee's text. */
const INTERESTING = new Set(['import', 'callPackage', 'callPackages', ...Object.keys(FETCHERS), ...BUILDERS]);

function checkApplication(node: Node, context: NurFileContext, pathKind: (path: string) => PathKind, inPackages: boolean, out: Diagnostic[]): void {
  const callee = calleeOf(node);
  if (!callee) return;
  const lastWord = /([A-Za-z_][A-Za-z0-9_'-]*)\s*$/.exec(callee.text)?.[1];
  if (!lastWord || !INTERESTING.has(lastWord)) return;
  const application = flattenApplication(node);
  if (!application) return;
  const name = calleeText(unwrapExpression(application.callee) ?? application.callee);
  if (!name) return;
  const last = name[name.length - 1];
  const firstArgument = application.args[0] ? unwrapExpression(application.args[0]) : null;

  if ((name.length === 1 && name[0] === 'import') || (name.length === 2 && name[0] === 'builtins' && name[1] === 'import')) {
    if (firstArgument?.type === 'spath_expression' && /^<nixpkgs(\/.*)?>$/.test(firstArgument.text) && inPackages) {
      out.push({
        range: rangeOf(node),
        severity: DiagnosticSeverity.Error,
        source: NUR_DIAGNOSTIC_SOURCE,
        code: NurDiagnosticCode.importsNixpkgs,
        message:
          `Packages must not import ${firstArgument.text} themselves: NUR calls them with its own package set. ` +
          'Take what you need as a function argument instead, e.g. { lib, stdenv, fetchurl }:',
      });
    }
    if (firstArgument) checkPath(firstArgument, context, pathKind, out);
    return;
  }
  if (last === 'callPackage' || last === 'callPackages') {
    if (firstArgument) checkPath(firstArgument, context, pathKind, out);
    return;
  }
  const fetcher = fetcherName(name, application.callee);
  if (fetcher && application.args.length >= 1) {
    checkFetch(fetcher, node, application.args[0], out);
    return;
  }
  if (BUILDERS.has(last) && application.args.length >= 1) checkMeta(application.callee, application.args[application.args.length - 1], out);
}

/** `builtins.fetchTarball` etc., or the global `fetchTarball`/`fetchGit` when nothing local shadows it. */
function fetcherName(name: string[], callee: Node): string | undefined {
  if (name.length === 2 && name[0] === 'builtins' && name[1] in FETCHERS) return name[1];
  if (name.length === 1 && GLOBAL_FETCHERS.has(name[0]) && !isBoundLocally(callee, name[0])) return name[0];
  return undefined;
}

function checkPath(argument: Node, context: NurFileContext, pathKind: (path: string) => PathKind, out: Diagnostic[]): void {
  if (argument.type !== 'path_expression') return;
  if (namedChildren(argument).some((part) => part.type !== 'path_fragment')) return;
  const written = argument.text;
  if (written.startsWith('~')) return;
  const target = isAbsolute(written) ? written : resolve(dirname(context.path), written);
  const kind = pathKind(target);
  let message: string | undefined;
  if (kind === undefined) message = `${written} does not exist.`;
  else if (kind === 'directory' && pathKind(resolve(target, 'default.nix')) !== 'file') message = `${written} is a directory without a default.nix.`;
  if (!message) return;
  out.push({ range: rangeOf(argument), severity: DiagnosticSeverity.Error, source: NUR_DIAGNOSTIC_SOURCE, code: NurDiagnosticCode.missingPath, message });
}

function checkFetch(fetcher: string, call: Node, rawArgument: Node, out: Diagnostic[]): void {
  const argument = unwrapExpression(rawArgument) ?? rawArgument;
  const { pins, needs } = FETCHERS[fetcher];
  const isUrl = argument.type === 'string_expression' || argument.type === 'indented_string_expression' || argument.type === 'uri_expression';
  if (!isUrl && !isAttrset(argument)) return; // A variable or a call: what it holds is unknown here.
  if (isAttrset(argument) && pins.some((pin) => definedNames(argument).has(pin))) return;

  const diagnostic: Diagnostic = {
    range: rangeOf(call),
    severity: DiagnosticSeverity.Error,
    source: NUR_DIAGNOSTIC_SOURCE,
    code: NurDiagnosticCode.unpinnedFetch,
    message:
      `builtins.${fetcher} without ${needs} needs the network while evaluating, and NUR evaluates without it. ` +
      (fetcher === 'fetchGit' ? 'Pin a rev, or use a fixed-output fetcher such as fetchFromGitHub with a hash.' : 'Add the hash, or use a fixed-output fetcher such as fetchurl or fetchFromGitHub.'),
  };
  if (fetcher !== 'fetchGit') {
    const fix = placeholderHashFix(argument);
    if (fix) diagnostic.data = { fix } satisfies NurDiagnosticData;
  }
  out.push(diagnostic);
}

/** `fetchTarball "url"` → `fetchTarball { url = "url"; sha256 = "000…"; }`; a set gets the sha256 line. */
function placeholderHashFix(argument: Node): NurQuickFix | undefined {
  const title = 'Add a placeholder sha256 (the next evaluation prints the real one)';
  const hashBinding = `sha256 = ${nixString(PLACEHOLDER_SHA256)};`;
  if (!isAttrset(argument)) {
    return { title, edits: [{ range: rangeOf(argument), newText: `{ url = ${argument.text}; ${hashBinding} }` }] };
  }
  const bindings = bindingsOf(argument);
  const last = bindings[bindings.length - 1];
  if (!last) return undefined;
  const position = rangeOf(last).end;
  return { title, edits: [{ range: { start: position, end: position }, newText: ` ${hashBinding}` }] };
}

/** Whether a let, a function argument or a `rec` set around `node` defines `name`. */
function isBoundLocally(node: Node, name: string): boolean {
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (scope.type === 'function_expression') {
      if (scope.childForFieldName('universal')?.text === name) return true;
      const formals = scope.childForFieldName('formals');
      for (const formal of formals ? formals.childrenForFieldName('formal') : []) {
        if (formal?.childForFieldName('name')?.text === name) return true;
      }
    } else if (scope.type === 'let_expression' || scope.type === 'rec_attrset_expression') {
      if (definedNames(scope).has(name)) return true;
    }
  }
  return false;
}

/** The metadata NUR's package search and users rely on. */
function checkMeta(callee: Node, rawArgument: Node, out: Diagnostic[]): void {
  let argument = unwrapExpression(rawArgument);
  if (argument?.type === 'function_expression') argument = unwrapExpression(argument.childForFieldName('body'));
  if (!isAttrset(argument)) return;

  const metaNames = new Set<string>();
  let metaNode: Node | undefined;
  for (const binding of bindingsOf(argument)) {
    if (binding.type !== 'binding') {
      if (inheritedNames(binding).includes('meta')) return; // `inherit meta;`: defined elsewhere.
      continue;
    }
    const path = attrpathNames(binding);
    if (!path || path[0] !== 'meta') continue;
    metaNode ??= binding.childForFieldName('attrpath') ?? binding;
    if (path.length > 1) {
      metaNames.add(path[1]);
      continue;
    }
    const value = unwrapExpression(binding.childForFieldName('expression'));
    if (!isAttrset(value)) return; // Built some other way (`old.meta // { … }`): not ours to judge.
    for (const name of definedNames(value)) metaNames.add(name);
  }

  const reason = "NUR's package search and the users of the package read it.";
  if (!metaNode) {
    out.push({
      range: rangeOf(callee),
      severity: DiagnosticSeverity.Hint,
      source: NUR_DIAGNOSTIC_SOURCE,
      code: NurDiagnosticCode.missingMeta,
      message: `The package has no meta (description, license, homepage); ${reason}`,
    });
    return;
  }
  const fields: [string, string][] = [
    ['description', NurDiagnosticCode.missingDescription],
    ['license', NurDiagnosticCode.missingLicense],
    ['homepage', NurDiagnosticCode.missingHomepage],
  ];
  for (const [field, code] of fields) {
    if (metaNames.has(field)) continue;
    out.push({
      range: rangeOf(metaNode),
      severity: DiagnosticSeverity.Hint,
      source: NUR_DIAGNOSTIC_SOURCE,
      code,
      message: `meta has no ${field}; ${reason}`,
    });
  }
}

function isUnder(directory: string, path: string): boolean {
  const rest = relative(directory, path);
  return rest !== '' && !rest.startsWith('..') && !isAbsolute(rest);
}

function pathKindOnDisk(path: string): PathKind {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}
