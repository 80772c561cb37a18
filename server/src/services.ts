// What the server's handlers and commands share: settings, open documents, the parser, the
// installed Nix, and diagnostics that come from runs. Created once per server by server.ts.
import type { Parser } from 'web-tree-sitter';
import type { Settings } from './config/settings';
import type { ExternalDiagnostics, FileDiagnostics } from './externalDiagnostics';
import type { NixTools } from './features/build/nixTools';
import type { NixCapabilities } from './nix/version';
import type { DocumentStore } from './syntax/documentStore';

export interface Services {
  settings(): Settings;
  documents: DocumentStore;
  parser: Parser;
  /** The installed Nix (detected once per `nixNur.nix.binDir`); undefined when there is none. */
  nix(): Promise<NixCapabilities | undefined>;
  nixTools(): NixTools;
  /** The path of a Nix program (`nix`, `nix-build`, …) honouring `nixNur.nix.binDir`. */
  nixProgram(name: string): string;
  /** The environment for processes that find Nix on PATH (with `nixNur.nix.binDir` first). */
  nixEnv(): NodeJS.ProcessEnv;
  externalDiagnostics: ExternalDiagnostics;
  /** Replaces the diagnostics an origin (a build, a check) reported, and publishes them. */
  publishExternal(origin: string, files: FileDiagnostics[]): void;
  log(message: string): void;
  /** Absolute paths of the workspace folders (where commands may write files). */
  workspaceFolders(): readonly string[];
}
