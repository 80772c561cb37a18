// What the NUR workflows get from outside, passed in so tests can choose: how programs run, what
// time it is, the environment programs see.
import { runProcess, type ProcessOptions, type ProcessResult } from '../nix/process';

/** Runs a program from an argument vector (never a shell); `runProcess` in production. */
export type Runner = (program: string, args: readonly string[], options?: ProcessOptions) => Promise<ProcessResult>;

export type Clock = () => Date;

export interface NurDependencies {
  run: Runner;
  clock: Clock;
  /** The environment for `nix` and `git` (PATH decides which ones run); the server's own by default. */
  env?: NodeJS.ProcessEnv;
}

export const defaultDependencies: NurDependencies = {
  run: runProcess,
  clock: () => new Date(),
};
