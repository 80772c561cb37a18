// Types for codeServer.mjs, so the TypeScript end-to-end tests can use it.
import type { ChildProcess } from 'node:child_process';

export const CODE_SERVER_VERSION: string;

export interface CodeServerLayout {
  dir: string;
  bin: string;
  nodeHome: string;
  env: NodeJS.ProcessEnv;
}

export interface CodeServerOptions {
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** The folder to open. */
  workspace: string;
  logFile?: string;
  /** code-server's own config file (written with `auth: none` when missing). */
  configFile?: string;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

export interface RunningCodeServer {
  url: string;
  child: ChildProcess;
  stop(graceMs?: number): Promise<void>;
  stopNow(): void;
  exited: Promise<void>;
}

export function withoutNpmScriptVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function codeServerLayout(cacheDir: string): CodeServerLayout;
export function ensureCodeServer(cacheDir: string, log?: (message: string) => void): CodeServerLayout;
export function installExtension(layout: CodeServerLayout, options: { userDataDir: string; extensionsDir: string; vsix: string }): void;
export function freePort(preferred?: number): Promise<number>;
export function startCodeServer(layout: CodeServerLayout, options: CodeServerOptions): Promise<RunningCodeServer>;
