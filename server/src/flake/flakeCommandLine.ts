// Argument vectors for the flake commands, per installed Nix version. The experimental features
// are switched on by arguments, so the commands work on an installation without configuration.
import type { NixCapabilities } from '../nix/version';
import { inputNameProblem } from './inputName';

export const FLAKE_FEATURE_ARGS: readonly string[] = ['--extra-experimental-features', 'nix-command flakes'];

/**
 * Updating one input (`nix flake update NAME` from 2.19, `nix flake lock --update-input NAME`
 * before) or all of them (`nix flake update`). Runs in the flake's directory.
 */
export function flakeUpdateArgs(capabilities: NixCapabilities, input?: string): string[] {
  if (input === undefined) return [...FLAKE_FEATURE_ARGS, 'flake', 'update'];
  const problem = inputNameProblem(input);
  if (problem) throw new Error(problem);
  return capabilities.flakeUpdateTakesInputs
    ? [...FLAKE_FEATURE_ARGS, 'flake', 'update', input]
    : [...FLAKE_FEATURE_ARGS, 'flake', 'lock', '--update-input', input];
}

/** Locking what flake.nix asks for, changing nothing that is already locked and still valid. */
export function flakeLockArgs(): string[] {
  return [...FLAKE_FEATURE_ARGS, 'flake', 'lock'];
}
