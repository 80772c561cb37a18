// Types for demoWorkspace.mjs, so the TypeScript tests can use it.
export interface DemoWorkspace {
  /** The folder the editor opens. */
  workspace: string;
  /** The stand-in nixpkgs (a local git repository) the demo's flake and NIX_PATH name. */
  nixpkgs: string;
  /** What the editor's environment needs besides its own (NIX_PATH). */
  env: Record<string, string>;
}

export function defaultDemoHome(env?: NodeJS.ProcessEnv): string;
export function ensureDemoWorkspace(options: { repoRoot: string; demoHome?: string; log?: (message: string) => void; env?: NodeJS.ProcessEnv }): DemoWorkspace;
