// The NUR workflows as `workspace/executeCommand` handlers: each takes the command's JSON
// arguments (URIs, names) and what it needs from the server (runner, clock, parser, Nix
// capabilities, open documents, NUR's repository list), and returns plain data. The server
// registers the command names, applies `pendingEdit`s through `workspace/applyEdit`, and publishes
// the check's diagnostics.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import type { NixCapabilities } from '../../nix/version';
import { addModule } from '../../nur/addModule';
import { addPackage } from '../../nur/addPackage';
import { checkRepository, type CheckResult } from '../../nur/check';
import type { NurDependencies } from '../../nur/dependencies';
import { RepositoryChangeError, type OpenDocumentText, type RepositoryChange } from '../../nur/fileChanges';
import { registrationFor, type LookupRepo, type RegistrationResult } from '../../nur/registration';
import { nurRepositoryCandidates } from '../../nur/repositoryCandidates';
import { gitHubOwnerProblem, nurNameProblem } from '../../nur/names';
import { scaffoldRepository, ScaffoldError, type GitOutcome } from '../../nur/scaffold';
import { confineTarget, WriteScopeError, type WriteScope } from '../writeScope';

export const NurCommand = {
  scaffold: 'nixNur.nur.scaffold',
  addPackage: 'nixNur.nur.addPackage',
  addModule: 'nixNur.nur.addModule',
  check: 'nixNur.nur.check',
  registration: 'nixNur.nur.registration',
  findRepositories: 'nixNur.nur.findRepositories',
} as const;

/** A problem to show the user as is (bad arguments, a name taken, a file in the way). */
export class NurCommandError extends Error {}

/** The command's arguments are wrong (a missing name, not a file URI, …). */
export class NurArgumentError extends NurCommandError {}

export interface NurCommandContext extends NurDependencies {
  parser: Parser;
  /** The Nix the server detected; undefined when none is installed. */
  capabilities?: NixCapabilities;
  /** The text of a file open in the editor, by absolute path. */
  openDocumentText?: OpenDocumentText;
  /** NUR's repos.json, by name (the NUR repository index). */
  lookupRepo?: LookupRepo;
  signal?: AbortSignal;
  /** Where files may be written (the workspace folders) and whether the workspace is trusted. */
  writeScope: WriteScope;
}

export interface ScaffoldCommandResult {
  directory: string;
  /** URIs of the files written. */
  files: string[];
  git?: GitOutcome;
}

export interface ChangeCommandResult {
  /** URIs of the files created. */
  created: string[];
  edited: { uri: string; written: boolean }[];
  /** Edits of files open in the editor, for the server to apply with `workspace/applyEdit`. */
  pendingEdit?: WorkspaceEdit;
}

export interface AddPackageCommandResult extends ChangeCommandResult {
  installable: { file: 'default.nix'; attr: string };
  notes: string[];
}

export async function scaffoldCommand(args: unknown, context: NurCommandContext): Promise<ScaffoldCommandResult> {
  const params = objectArgument(args, NurCommand.scaffold);
  if (params.pickedByUser !== undefined && typeof params.pickedByUser !== 'boolean') throw new NurArgumentError('pickedByUser must be true or false.');
  const directory = writableDirectory(params.directory, 'directory', context.writeScope, params.pickedByUser === true);
  const name = requiredString(params.name, 'name');
  if (params.gitInit !== undefined && typeof params.gitInit !== 'boolean') throw new NurArgumentError('gitInit must be true or false.');
  // git runs the hooks and reads the configuration of a `.git` already in the directory, which in
  // an untrusted workspace is the workspace's code.
  if (params.gitInit === true && !context.writeScope.trusted) {
    throw new NurCommandError('This workspace is not trusted: git is not run in it. Create the repository without git, or trust the workspace first.');
  }
  try {
    const owner = optionalString(params.owner, 'owner');
    // Both land in files and URLs; a bad one is a bad argument.
    const problem = nurNameProblem(name) ?? (owner === undefined ? undefined : gitHubOwnerProblem(owner));
    if (problem) throw new NurArgumentError(problem);
    const result = await scaffoldRepository({ directory, name, owner, gitInit: params.gitInit === true }, context);
    return { directory: pathToFileURL(directory).href, files: result.files.map((file) => pathToFileURL(resolve(directory, file)).href), git: result.git };
  } catch (error) {
    throw asCommandError(error, ScaffoldError);
  }
}

export async function addPackageCommand(args: unknown, context: NurCommandContext): Promise<AddPackageCommandResult> {
  const params = objectArgument(args, NurCommand.addPackage);
  const root = writableDirectory(params.repo, 'repo', context.writeScope);
  try {
    const result = addPackage(
      { root, name: requiredString(params.name, 'name'), builder: optionalString(params.builder, 'builder'), source: optionalString(params.source, 'source') },
      { parser: context.parser, clock: context.clock, openDocumentText: context.openDocumentText },
    );
    return { ...changeResult(result), installable: result.installable, notes: result.notes };
  } catch (error) {
    throw asCommandError(error, RepositoryChangeError);
  }
}

export async function addModuleCommand(args: unknown, context: NurCommandContext): Promise<ChangeCommandResult> {
  const params = objectArgument(args, NurCommand.addModule);
  const root = writableDirectory(params.repo, 'repo', context.writeScope);
  try {
    return changeResult(addModule({ root, name: requiredString(params.name, 'name') }, { parser: context.parser, openDocumentText: context.openDocumentText }));
  } catch (error) {
    throw asCommandError(error, RepositoryChangeError);
  }
}

export async function checkCommand(args: unknown, context: NurCommandContext): Promise<CheckResult> {
  const params = objectArgument(args, NurCommand.check);
  const root = pathFromUri(params.repo, 'repo');
  const nixpkgsArgument = optionalString(params.nixpkgs, 'nixpkgs');
  const nixpkgs = nixpkgsArgument?.startsWith('file:') ? pathFromUri(nixpkgsArgument, 'nixpkgs') : nixpkgsArgument;
  if (!context.capabilities) {
    throw new NurCommandError('Nix was not found, so the repository cannot be evaluated. Install Nix or put it on the PATH of the language server.');
  }
  return checkRepository({ root, nixpkgs, signal: context.signal }, context);
}

export async function registrationCommand(args: unknown, context: NurCommandContext): Promise<RegistrationResult> {
  const params = objectArgument(args, NurCommand.registration);
  const root = pathFromUri(params.repo, 'repo');
  const lookupRepo: LookupRepo = context.lookupRepo ?? (() => undefined);
  return registrationFor({ root, name: optionalString(params.name, 'name') }, { ...context, lookupRepo });
}

/**
 * The NUR repositories a command could mean (`file`: the active file's URI, `folders`: the
 * workspace folders' URIs), as URIs: the active file's repository alone when it is in one.
 */
export function findRepositoriesCommand(args: unknown, context: Pick<NurCommandContext, 'parser'>): { repositories: string[]; fromActiveFile: boolean } {
  const params = objectArgument(args, NurCommand.findRepositories);
  const file = params.file === undefined || params.file === null ? undefined : pathFromUri(params.file, 'file');
  if (params.folders !== undefined && !Array.isArray(params.folders)) throw new NurCommandError("'folders' must be a list of file URIs.");
  const folders = ((params.folders ?? []) as unknown[]).map((folder) => pathFromUri(folder, 'folders'));
  const found = nurRepositoryCandidates(file, folders, context.parser);
  return { repositories: found.repositories.map((path) => pathToFileURL(path).href), fromActiveFile: found.fromActiveFile };
}

function changeResult(change: RepositoryChange): ChangeCommandResult {
  const pending = change.edited.filter((edit) => !edit.written);
  return {
    created: change.created.map((path) => pathToFileURL(path).href),
    edited: change.edited.map((edit) => ({ uri: edit.uri, written: edit.written })),
    pendingEdit: pending.length > 0 ? { changes: Object.fromEntries(pending.map((edit) => [edit.uri, edit.edits])) } : undefined,
  };
}

/** Commands receive `arguments: [params]`; accept the params object or that array. */
function objectArgument(args: unknown, command: string): Record<string, unknown> {
  const value = Array.isArray(args) ? args[0] : args;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NurArgumentError(`${command} expects an object argument.`);
  return value as Record<string, unknown>;
}

function requiredString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new NurArgumentError(`'${what}' is required.`);
  return value.trim();
}

function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new NurArgumentError(`'${what}' must be a string.`);
  return value;
}

/** A `file:` URI as an absolute path; anything else is refused with a message. */
/** A directory a command writes into: a file URI, normalised and confined to the write scope. */
function writableDirectory(value: unknown, what: string, scope: WriteScope, pickedByUser = false): string {
  try {
    return confineTarget(pathFromUri(value, what), scope, what, pickedByUser);
  } catch (error) {
    if (error instanceof WriteScopeError) throw new NurArgumentError(error.message);
    throw error;
  }
}

export function pathFromUri(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new NurArgumentError(`'${what}' must be a file URI.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new NurArgumentError(`'${what}' is not a URI: ${value}`);
  }
  if (url.protocol !== 'file:') throw new NurArgumentError(`'${what}' must be a file: URI, not ${url.protocol}`);
  const path = fileURLToPath(url);
  if (!isAbsolute(path) || path.includes('\0')) throw new NurArgumentError(`'${what}' is not an absolute path: ${value}`);
  return resolve(path);
}

function asCommandError(error: unknown, expected: new (...args: never[]) => Error): Error {
  if (error instanceof NurCommandError) return error;
  if (error instanceof expected) return new NurCommandError(error.message);
  if (error instanceof Error && 'code' in error && typeof (error as NodeJS.ErrnoException).code === 'string') {
    // A file system refusal (permissions, a file that appeared meanwhile): say which.
    return new NurCommandError(error.message);
  }
  return error instanceof Error ? error : new Error(String(error));
}
