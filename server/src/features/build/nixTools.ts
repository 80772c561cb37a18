// Which Nix programs the build features run, and the message shown when there are none.
import { join } from 'node:path';

export interface NixTools {
  /** Directory holding `nix`, `nix-build` and `nix-instantiate`; looked up on PATH when absent. */
  binDir?: string;
  /** Environment for the Nix processes (default: the server's own). */
  env?: NodeJS.ProcessEnv;
}

export const NIX_MISSING_MESSAGE = 'Nix is not installed or not on PATH. Install Nix (https://nixos.org/download) or put its bin directory on PATH, then try again.';

export function nixProgram(tools: NixTools | undefined, program: string): string {
  return tools?.binDir ? join(tools.binDir, program) : program;
}

export function nixMissingMessage(program: string): string {
  return program === 'nix' ? NIX_MISSING_MESSAGE : `${NIX_MISSING_MESSAGE} ('${program}' could not be started.)`;
}
