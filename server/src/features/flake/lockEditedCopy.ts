// Locking a flake whose edited flake.nix is only in the editor's buffer. Nix reads flake.nix from
// disk, but an editor that cannot save on request must not have the file written behind it (its
// buffer may lag behind the edit it just accepted, and its next save would meet a changed file).
// So the edited text and the current flake.lock are put in a temporary directory, Nix locks that
// copy, and its flake.lock — a file no editor has open as Nix code — replaces the real one. The
// buffer keeps the edit until the user saves it.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flakeLockArgs } from '../../flake/flakeCommandLine';
import type { FlakeSyntax, InputAttribute } from '../../flake/flakeSyntax';
import { failure, runNixInFlake, type FlakeCommandDeps, type FlakeLocation, type NixRunOutcome } from './flakeCommandSupport';

/** `path:./x`, `./x`, `git+file:../x`, `file:x`: inputs a copy elsewhere would resolve elsewhere. */
const RELATIVE_REFERENCE = /^(?:(?:path|git\+file|file|hg\+file|tarball\+file):)?\.{1,2}(?:\/|$)|^(?:path|git\+file|file):(?!\/)/;

/** The inputs whose location is relative to the flake's directory. */
export function relativeInputs(syntax: FlakeSyntax): string[] {
  const text = (attribute: InputAttribute | undefined) => (attribute?.value.kind === 'string' ? attribute.value.string.value : undefined);
  return syntax.inputs
    .filter((input) => {
      const url = input.url?.value ?? text(input.attributes.get('url'));
      const path = text(input.attributes.get('path'));
      return (url !== undefined && RELATIVE_REFERENCE.test(url)) || (path !== undefined && !path.startsWith('/'));
    })
    .map((input) => input.name);
}

export async function lockEditedCopy(location: FlakeLocation, syntax: FlakeSyntax, edited: string, deps: FlakeCommandDeps, doing: string): Promise<NixRunOutcome> {
  const relative = relativeInputs(syntax);
  if (relative.length > 0) {
    return {
      ok: false,
      failure: failure(
        'edit-not-applied',
        `${doing}: flake.nix is edited in the editor but not saved, and the inputs ${relative.join(', ')} are paths relative to it, which only the saved file can be locked with. Save flake.nix and run the command again.`,
      ),
    };
  }
  // Under the temporary directory: a Nix that runs in a chroot sharing only /tmp sees it too.
  const scratch = mkdtempSync(join(tmpdir(), 'nix-nur-lock-'));
  try {
    const copy: FlakeLocation = {
      uri: pathToFileURL(join(scratch, 'flake.nix')).href,
      directory: scratch,
      flakeNix: join(scratch, 'flake.nix'),
      flakeLock: join(scratch, 'flake.lock'),
    };
    writeFileSync(copy.flakeNix, edited);
    if (existsSync(location.flakeLock)) copyFileSync(location.flakeLock, copy.flakeLock);
    const outcome = await runNixInFlake(deps, copy, flakeLockArgs(), doing);
    if (outcome.ok && existsSync(copy.flakeLock)) writeFileSync(location.flakeLock, readFileSync(copy.flakeLock));
    return outcome;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
