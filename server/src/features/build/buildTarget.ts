// What the `nixNur.build` command was asked to build, checked before any process starts: a flake
// installable (`.#hello`) or a file and attribute for `nix-build` (`default.nix -A hello`), built
// in a directory of the workspace.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parameters of `nixNur.build`, as they arrive over LSP. */
export interface BuildParams {
  /** `file://` URI of the directory to build in. */
  cwd: string;
  /** A flake installable: `.#hello`, `.#packages.x86_64-linux.hello`, `./sub#pkg`. */
  installable?: string;
  /** For a tree without flake: the Nix file, relative to `cwd` or absolute inside it. */
  file?: string;
  /** The attribute of `file` to build (`nix-build FILE -A ATTR`); the whole file when absent. */
  attr?: string;
}

export type BuildTarget =
  | {
      kind: 'flake';
      /** Directory the command runs in. */
      cwd: string;
      installable: string;
      /** The local flake's directory, when the installable names one (`.#x`, `./sub#x`, `path:…`). */
      flakeDir?: string;
      label: string;
    }
  | {
      kind: 'legacy';
      cwd: string;
      /** Absolute path of the Nix file (or directory holding a default.nix). */
      file: string;
      attr?: string;
      label: string;
    };

export type TargetResolution = { ok: true; target: BuildTarget } | { ok: false; message: string };

// Control characters and whitespace never belong in an installable or attribute path; a leading
// dash would be read as an option.
const UNSAFE = /[\u0000-\u0020\u007f]/;

function checkArgument(what: string, value: string): string | undefined {
  if (value.length === 0) return `The ${what} is empty.`;
  if (value.startsWith('-')) return `The ${what} '${value}' must not start with '-'.`;
  if (UNSAFE.test(value)) return `The ${what} '${value}' contains spaces or control characters.`;
  return undefined;
}

/** Converts the `cwd` URI and checks it names an existing directory. */
export function directoryOfUri(uri: unknown): { ok: true; path: string } | { ok: false; message: string } {
  if (typeof uri !== 'string' || uri.length === 0) return { ok: false, message: 'No directory to build in was given (cwd).' };
  let path: string;
  try {
    path = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return { ok: false, message: `'${uri}' is not a file URI.` };
  }
  if (!isAbsolute(path)) return { ok: false, message: `'${uri}' is not an absolute file URI.` };
  if (!existsSync(path) || !statSync(path).isDirectory()) return { ok: false, message: `The directory ${path} does not exist.` };
  return { ok: true, path };
}

/**
 * The directory of a local flake reference (`.`, `./sub`, `/abs`, `path:./x`, `git+file:///x`),
 * or undefined for references Nix resolves elsewhere (`nixpkgs`, `github:…`).
 */
export function localFlakeDirectory(flakeRef: string, cwd: string): string | undefined {
  let ref = flakeRef;
  const scheme = /^(path|git\+file):(.*)$/.exec(ref);
  if (scheme) ref = scheme[2].replace(/^\/\/(?=\/)/, '');
  ref = ref.replace(/[?].*$/, '');
  if (ref === '' && scheme) return undefined;
  if (ref === '.' || ref === '..' || ref.startsWith('./') || ref.startsWith('../') || ref.startsWith('/')) {
    return resolve(cwd, ref);
  }
  return scheme ? resolve(cwd, ref) : undefined;
}

export function resolveBuildTarget(params: unknown): TargetResolution {
  if (typeof params !== 'object' || params === null) return { ok: false, message: 'The build command needs { installable, cwd } or { file, attr, cwd }.' };
  const { cwd: cwdUri, installable, file, attr } = params as Record<string, unknown>;
  const cwd = directoryOfUri(cwdUri);
  if (!cwd.ok) return cwd;

  if (typeof installable === 'string') {
    const problem = checkArgument('installable', installable);
    if (problem) return { ok: false, message: problem };
    const hash = installable.indexOf('#');
    const flakeRef = hash === -1 ? installable : installable.slice(0, hash);
    const flakeDir = localFlakeDirectory(flakeRef, cwd.path);
    if (flakeDir !== undefined && !existsSync(join(flakeDir, 'flake.nix'))) {
      return { ok: false, message: `There is no flake.nix in ${flakeDir}.` };
    }
    return { ok: true, target: { kind: 'flake', cwd: cwd.path, installable, flakeDir, label: installable } };
  }

  if (typeof file === 'string') {
    const fileProblem = checkArgument('file', file);
    if (fileProblem) return { ok: false, message: fileProblem };
    if (attr !== undefined && typeof attr !== 'string') return { ok: false, message: 'The attribute must be a string.' };
    const attrProblem = typeof attr === 'string' ? checkArgument('attribute', attr) : undefined;
    if (attrProblem) return { ok: false, message: attrProblem };
    const absolute = resolve(cwd.path, file);
    const inside = relative(cwd.path, absolute);
    if (inside.startsWith('..') || isAbsolute(inside)) return { ok: false, message: `${file} is outside the directory ${cwd.path}.` };
    if (!existsSync(absolute)) return { ok: false, message: `The file ${absolute} does not exist.` };
    if (statSync(absolute).isDirectory() && !existsSync(join(absolute, 'default.nix'))) {
      return { ok: false, message: `There is no default.nix in ${absolute}.` };
    }
    const label = attr ? `${inside || '.'} -A ${attr}` : inside || '.';
    return { ok: true, target: { kind: 'legacy', cwd: cwd.path, file: absolute, attr: attr as string | undefined, label } };
  }

  return { ok: false, message: 'The build command needs an installable (flakes) or a file and attribute (nix-build).' };
}
