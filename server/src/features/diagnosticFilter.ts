// Which diagnostics the user asked not to see: codes listed in `nixNur.diagnostics.ignore`, and
// every text diagnostic of files matching a glob of `nixNur.diagnostics.exclude`. Globs are
// matched against the path relative to each workspace folder and against the absolute path; a
// glob without `/` matches a file name in any directory.
import { basename, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';

export interface DiagnosticFilterOptions {
  ignore: readonly string[];
  exclude: readonly string[];
  workspaceFolders: readonly string[];
}

export function filterDiagnostics(uri: string, diagnostics: Diagnostic[], options: DiagnosticFilterOptions): Diagnostic[] {
  if (options.exclude.length && isExcluded(uri, options)) return [];
  if (!options.ignore.length) return diagnostics;
  const ignored = new Set(options.ignore);
  return diagnostics.filter((d) => d.code === undefined || !ignored.has(String(d.code)));
}

export function isExcluded(uri: string, options: Pick<DiagnosticFilterOptions, 'exclude' | 'workspaceFolders'>): boolean {
  if (!uri.startsWith('file:')) return false;
  const path = fileURLToPath(uri);
  const candidates = [toSlashes(path)];
  for (const folder of options.workspaceFolders) {
    const inside = relative(folder, path);
    if (inside && !inside.startsWith('..') && !isAbsolute(inside)) candidates.push(toSlashes(inside));
  }
  return options.exclude.some((glob) => {
    const pattern = globPattern(glob);
    if (!glob.includes('/')) return pattern.test(basename(path));
    return candidates.some((candidate) => pattern.test(candidate));
  });
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

const patterns = new Map<string, RegExp>();

/** A glob as a regular expression: `**` any directories, `*` and `?` within a name, `{a,b}` either. */
export function globPattern(glob: string): RegExp {
  let pattern = patterns.get(glob);
  if (pattern) return pattern;
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) source += '|';
    else source += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  pattern = new RegExp(`^${source}$`);
  patterns.set(glob, pattern);
  return pattern;
}
