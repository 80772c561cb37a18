// Where commands may write files: inside the workspace folders, or — in a trusted workspace — a
// directory the user picked in the client's own dialog. A target arrives as a file URI from the
// client; it is normalised (`..` segments, symbolic links of the parts that exist) before it is
// compared, so `file:///…/x/../../../etc/nurtest` or a link inside the workspace that points out
// of it is refused. Commands that write files run in untrusted workspaces too, which is why this
// is checked on the server and not left to the client's pickers.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

export interface WriteScope {
  /** Absolute paths of the workspace folders. */
  folders: readonly string[];
  /** Whether the user trusts the workspace. */
  trusted: boolean;
}

export class WriteScopeError extends Error {}

/**
 * `path` with symbolic links resolved as far as it exists: the deepest existing ancestor is
 * resolved, and the parts still to be created are appended to it.
 */
export function realTarget(path: string): string {
  const rest: string[] = [];
  let existing = resolve(path);
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(basename(existing));
    existing = parent;
  }
  let real = existing;
  try {
    real = realpathSync(existing);
  } catch {
    // Unreadable: compared as written.
  }
  return rest.length > 0 ? join(real, ...rest) : real;
}

function isInside(path: string, folder: string): boolean {
  const between = relative(folder, path);
  return between === '' || (!between.startsWith('..') && !isAbsolute(between));
}

/**
 * The target `path` (absolute, `..` already resolved) if commands may write there; throws a
 * WriteScopeError that says why not. `pickedByUser`: the client's own folder dialog chose it.
 */
export function confineTarget(path: string, scope: WriteScope, what: string, pickedByUser = false): string {
  const real = realTarget(path);
  const folders = scope.folders.map(realTarget);
  if (folders.some((folder) => isInside(real, folder))) return path;
  if (pickedByUser && scope.trusted) return path;
  const where = folders.length > 0 ? `the workspace folders (${folders.join(', ')})` : 'a workspace folder (none is open)';
  const trustNote = pickedByUser && !scope.trusted ? ' A directory outside the workspace is only accepted in a trusted workspace.' : '';
  throw new WriteScopeError(`The ${what} ${path} is outside ${where}; files are only written there.${trustNote}`);
}
