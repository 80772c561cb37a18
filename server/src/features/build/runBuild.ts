// The `nixNur.build` command: runs `nix build` (flakes) or `nix-build` (other trees) with the
// internal-json log, reports progress from the activity stream, streams the build log, and turns
// the outcome into plain data — output paths, or an error with the end of the log, diagnostics on
// the workspace files it concerns and quick fixes for hash mismatches. It never throws: every
// failure, including a missing `nix`, comes back as a result.
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import type { Parser } from 'web-tree-sitter';
import { BuildActivityTracker } from '../../nix/buildActivity';
import { flakeBuildInvocation, legacyBuildInvocation, parseBuildOutputs, type BuildInvocation } from '../../nix/buildArgv';
import { NixLogStreamParser, Verbosity, type NixLogEvent } from '../../nix/internalJson';
import { isErrorMessage, nixErrorOf, parseBuilderFailure, parseHashMismatch, type HashMismatch, type NixError } from '../../nix/nixErrors';
import { ProgramNotFoundError, startProcess, type ProcessExit } from '../../nix/process';
import type { NixCapabilities } from '../../nix/version';
import { BuildLogStore, type BuildLog } from './buildLogStore';
import { resolveBuildTarget, type BuildTarget } from './buildTarget';
import { evaluationDiagnostics, workspacePositions, type FileDiagnostics, type LoadedFile } from './evaluationDiagnostics';
import { FileLoader, type DocumentLookup } from './fileLoader';
import { hashFixAction, hashMismatchDiagnostic } from './hashFix';
import { locateHashMismatch, type LocatedHashSite } from './locateHashMismatch';
import { nixMissingMessage, nixProgram, NIX_MISSING_MESSAGE, type NixTools } from './nixTools';
import { describeProgress } from './progressMessage';
import { listNixFiles } from './workspaceFiles';
import { sourceRootOf, WorkspaceSources } from './workspaceSources';
import { stripAnsi } from '../../nix/ansi';

/** Lines of log kept in a failure's message and `logTail`. */
export const LOG_TAIL_LINES = 30;

export interface BuildProgressReporter {
  begin(title: string, cancellable: boolean): void;
  report(message: string, percentage?: number): void;
  end(message: string): void;
}

export interface BuildDependencies {
  /** What the installed Nix can do; undefined when no `nix` was found. */
  capabilities: NixCapabilities | undefined;
  progress: BuildProgressReporter;
  /** Receives each line of the build log as it arrives (`app-1.0> compiling…`, Nix's messages). */
  onLogLine: (line: string) => void;
  /** Aborting kills the Nix process group; the result is then `cancelled`. */
  signal?: AbortSignal;
  /** The open document for a file path, so diagnostics use the editor's text. */
  documentFor?: DocumentLookup;
  /** Parses files that are not open (needed to find hashes and expression ranges). */
  parser?: Parser;
  /** Where full logs are kept for "Show full log"; a private store when absent. */
  logs?: BuildLogStore;
  tools?: NixTools;
  clock?: () => number;
}

export type BuildFailureKind = 'invalid-request' | 'nix-missing' | 'evaluation' | 'build' | 'hash-mismatch' | 'failed';

interface ResultBase {
  /** What was built, as shown to the user (`.#hello`, `default.nix -A hello`). */
  label?: string;
  /** Id of the full log in the BuildLogStore. */
  logId?: string;
  durationMs: number;
  /** Build diagnostics by file; empty lists mean earlier build diagnostics can be cleared. */
  diagnostics: FileDiagnostics[];
}

export interface BuildSucceeded extends ResultBase {
  status: 'succeeded';
  outputs: string[];
}

export interface BuildFailed extends ResultBase {
  status: 'failed';
  kind: BuildFailureKind;
  /** What went wrong, ending with the last lines of the log for build failures. */
  message: string;
  /** The last lines of the failing derivation's log (or of the whole log). */
  logTail: string[];
  /** Quick fixes that can be applied right away (hash mismatches). */
  codeActions: CodeAction[];
  exitCode?: number | null;
}

export interface BuildCancelled extends ResultBase {
  status: 'cancelled';
  message: string;
}

export type BuildResult = BuildSucceeded | BuildFailed | BuildCancelled;

export async function runBuild(params: unknown, deps: BuildDependencies): Promise<BuildResult> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const elapsed = () => clock() - started;

  const resolution = resolveBuildTarget(params);
  if (!resolution.ok) return failure('invalid-request', resolution.message, elapsed());
  const target = resolution.target;
  if (!deps.capabilities) return failure('nix-missing', NIX_MISSING_MESSAGE, elapsed(), target.label);
  if (deps.signal?.aborted) return { status: 'cancelled', message: 'The build was cancelled.', label: target.label, durationMs: elapsed(), diagnostics: [] };

  const invocation = target.kind === 'flake' ? flakeBuildInvocation(deps.capabilities, target.installable) : legacyBuildInvocation(target.file, target.attr);
  const log = (deps.logs ?? new BuildLogStore({ maxLogs: 1 })).create(`Build ${target.label}`);
  safely(() => deps.progress.begin(`Building ${target.label}`, true));
  let endMessage = 'Build failed';
  try {
    const result = await execute(target, invocation, log, deps, elapsed);
    endMessage = result.status === 'succeeded' ? `Built ${target.label}` : result.status === 'cancelled' ? 'Build cancelled' : 'Build failed';
    return result;
  } catch (error) {
    // Unexpected: report it as a failed build rather than letting the request fail.
    return failure('failed', `The build could not be run: ${error instanceof Error ? error.message : String(error)}`, elapsed(), target.label, log);
  } finally {
    safely(() => deps.progress.end(endMessage));
  }
}

/** Progress and log sinks belong to the client; their failures must not fail the build. */
function safely(action: () => void): void {
  try {
    action();
  } catch {
    // Ignored on purpose.
  }
}

/** What one run of Nix left behind, for interpreting its outcome. */
interface NixRun {
  exit: ProcessExit;
  stdout: string;
  errors: NixError[];
  tracker: BuildActivityTracker;
  sources: WorkspaceSources;
  sourceRoot: string;
}

async function execute(
  target: BuildTarget,
  invocation: BuildInvocation,
  log: BuildLog,
  deps: BuildDependencies,
  elapsed: () => number,
): Promise<BuildResult> {
  const emit = (line: string) => {
    log.append(line);
    safely(() => deps.onLogLine(line));
  };
  let run: NixRun;
  try {
    run = await runNix(target, invocation, deps, emit);
  } catch (error) {
    if (error instanceof ProgramNotFoundError) return failure('nix-missing', nixMissingMessage(invocation.program), elapsed(), target.label, log);
    throw error;
  }

  const base = { label: target.label, logId: log.id };
  if (run.exit.cancelled) {
    emit('Build cancelled.');
    return { status: 'cancelled', message: 'The build was cancelled.', ...base, durationMs: elapsed(), diagnostics: [] };
  }
  if (run.exit.code === 0) {
    return { status: 'succeeded', outputs: parseBuildOutputs(run.stdout, invocation.outputStyle), ...base, durationMs: elapsed(), diagnostics: [] };
  }
  const loader = new FileLoader(deps.documentFor, deps.parser);
  try {
    const failed = await interpretFailure(run, log, loader);
    return { status: 'failed', ...failed, exitCode: run.exit.code, ...base, durationMs: elapsed() };
  } finally {
    loader.dispose();
  }
}

/** Runs Nix, feeding its activity stream to the progress reporter and the log as it arrives. */
async function runNix(target: BuildTarget, invocation: BuildInvocation, deps: BuildDependencies, emit: (line: string) => void): Promise<NixRun> {
  const tracker = new BuildActivityTracker(LOG_TAIL_LINES);
  const sourceRoot = sourceRootOf(target.kind === 'flake' ? (target.flakeDir ?? target.cwd) : target.cwd);
  const sources = new WorkspaceSources({ sourceRoot, flakeDir: target.kind === 'flake' ? target.flakeDir : undefined });
  const errors: NixError[] = [];
  const plainLines: string[] = [];
  const reportProgress = progressReporter(deps.progress);

  const handle = (event: NixLogEvent) => {
    switch (event.action) {
      case 'text':
        plainLines.push(event.text);
        emit(stripAnsi(event.text));
        return;
      case 'msg':
        // Talkative messages name the files Nix evaluates: too chatty for the log, but they tell
        // which store copy is ours and where to look for a hash.
        if (event.level >= Verbosity.Talkative) {
          sources.observe(event.msg);
          return;
        }
        if (isErrorMessage(event)) errors.push(nixErrorOf(event));
        for (const line of stripAnsi(event.msg).split('\n')) emit(line);
        return;
      default: {
        const update = tracker.apply(event);
        if (update.kind === 'log') emit(`${update.derivation?.name ?? 'build'}> ${update.text}`);
        else if (update.kind === 'progress') reportProgress(describeProgress(tracker.snapshot()));
      }
    }
  };

  reportProgress({ message: 'Evaluating…' });
  emit(`$ ${[invocation.program, ...invocation.args].join(' ')}`);
  const stdout: Buffer[] = [];
  const parser = new NixLogStreamParser(handle);
  const running = startProcess(nixProgram(deps.tools, invocation.program), invocation.args, { cwd: target.cwd, env: deps.tools?.env, signal: deps.signal });
  running.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  running.stderr.on('data', (chunk: Buffer) => parser.write(chunk));
  const exit = await running.exit;
  parser.end();
  if (errors.length === 0) {
    const plainError = plainTextError(plainLines);
    if (plainError) errors.push(plainError);
  }
  return { exit, stdout: Buffer.concat(stdout).toString('utf8'), errors, tracker, sources, sourceRoot };
}

type FailureDetails = Pick<BuildFailed, 'kind' | 'message' | 'logTail' | 'codeActions' | 'diagnostics'>;

/** Hash mismatch, failed builder, or evaluation error — with what the user needs to act on it. */
async function interpretFailure(run: NixRun, log: BuildLog, loader: FileLoader): Promise<FailureDetails> {
  const { errors, tracker, sources } = run;
  const mismatches = errors.map((error) => parseHashMismatch(error.text)).filter((mismatch): mismatch is HashMismatch => !!mismatch);
  if (mismatches.length > 0) {
    const located = await locateAll(mismatches, sources, run.sourceRoot, loader);
    const codeActions = located.map(({ uri, diagnostic }) => hashFixAction(uri, diagnostic)).filter((action): action is CodeAction => !!action);
    const where = located.length > 0 ? '' : '\nThe hash was not found in the workspace files; replace it by hand.';
    const message = mismatches.map((mismatch) => `Hash mismatch in fixed-output derivation '${mismatch.drvName}':\n  specified: ${mismatch.specified}\n  got:       ${mismatch.got}`).join('\n') + where;
    return { kind: 'hash-mismatch', message, logTail: log.tail(LOG_TAIL_LINES), codeActions, diagnostics: groupByUri(located) };
  }

  const headline = headlineOf(errors) ?? exitDescription(run.exit);
  const failedBuild = errors.map((error) => parseBuilderFailure(error.text)).find((found) => !!found);
  if (failedBuild || tracker.snapshot().builds.failed > 0) {
    // The failing derivation's own lines, rather than whatever else ran last in parallel.
    const ownTail = failedBuild ? tracker.tailOf(failedBuild.drvPath).map((line) => `${failedBuild.drvName}> ${line}`) : [];
    const logTail = ownTail.length > 0 ? ownTail : log.tail(LOG_TAIL_LINES);
    return { kind: 'build', message: `${headline}\n\nLast lines of the log:\n${logTail.join('\n')}`, logTail, codeActions: [], diagnostics: [] };
  }

  const toWorkspace = (file: string) => sources.toWorkspacePath(file);
  const positioned = errors.flatMap((error) => workspacePositions(error, toWorkspace));
  const files = new Map<string, LoadedFile>();
  for (const { path } of positioned) {
    const file = await loader.load(path);
    if (file) files.set(path, file);
  }
  const diagnostics = evaluationDiagnostics(errors, toWorkspace, files);
  const logTail = log.tail(LOG_TAIL_LINES);
  if (errors.length > 0 && !tracker.snapshot().realising) {
    const place = positioned[0] ? ` (${positioned[0].path}:${positioned[0].position.line}:${positioned[0].position.column})` : '';
    return { kind: 'evaluation', message: `${headline}${place}`, logTail, codeActions: [], diagnostics };
  }
  return { kind: 'failed', message: `${headline}\n\nLast lines of the log:\n${logTail.join('\n')}`, logTail, codeActions: [], diagnostics };
}

async function locateAll(mismatches: HashMismatch[], sources: WorkspaceSources, sourceRoot: string, loader: FileLoader) {
  const evaluated = sources.evaluatedFiles().filter((path) => path === sourceRoot || path.startsWith(`${sourceRoot}/`));
  let workspaceFiles: Promise<string[]> | undefined;
  const otherFiles = () => (workspaceFiles ??= listNixFiles(sourceRoot));
  const located: { uri: string; diagnostic: Diagnostic }[] = [];
  for (const mismatch of mismatches) {
    const sites: LocatedHashSite[] = await locateHashMismatch(mismatch, evaluated, otherFiles, (path) => loader.load(path));
    for (const { uri, site } of sites) located.push({ uri, diagnostic: hashMismatchDiagnostic(site, mismatch, sites.length) });
  }
  return located;
}

function groupByUri(entries: readonly { uri: string; diagnostic: Diagnostic }[]): FileDiagnostics[] {
  const byUri = new Map<string, FileDiagnostics>();
  for (const { uri, diagnostic } of entries) {
    const group = byUri.get(uri) ?? { uri, diagnostics: [] };
    group.diagnostics.push(diagnostic);
    byUri.set(uri, group);
  }
  return [...byUri.values()];
}

function exitDescription(exit: ProcessExit): string {
  return exit.signal ? `Nix was ended by ${exit.signal}.` : `Nix exited with code ${exit.code}.`;
}

/** The distinct summaries of the errors, most important (first printed) first. */
function headlineOf(errors: readonly NixError[]): string | undefined {
  const summaries = [...new Set(errors.map((error) => error.summary).filter(Boolean))];
  return summaries.length > 0 ? summaries.slice(0, 3).join('\n') : undefined;
}

/** Errors Nix printed without the JSON logger (before it was set up): from `error:` onwards. */
function plainTextError(lines: readonly string[]): NixError | undefined {
  const stripped = lines.map(stripAnsi);
  const start = stripped.findIndex((line) => /^error:/.test(line.trim()));
  if (start === -1) return undefined;
  const text = stripped.slice(start).join('\n').trim();
  return { summary: text.replace(/^error:\s*/, '').split('\n')[0].trim(), text, trace: [] };
}

/** Reports only changes, and never lets the percentage go backwards (Nix raises its estimates). */
function progressReporter(reporter: BuildProgressReporter) {
  let lastMessage: string | undefined;
  let lastPercentage: number | undefined;
  return ({ message, percentage }: { message: string; percentage?: number }) => {
    const next = percentage === undefined ? lastPercentage : Math.max(percentage, lastPercentage ?? 0);
    if (message === lastMessage && next === lastPercentage) return;
    lastMessage = message;
    lastPercentage = next;
    safely(() => reporter.report(message, next));
  };
}

function failure(kind: BuildFailureKind, message: string, durationMs: number, label?: string, log?: BuildLog): BuildFailed {
  return {
    status: 'failed',
    kind,
    message,
    logTail: log ? log.tail(LOG_TAIL_LINES) : [],
    codeActions: [],
    diagnostics: [],
    label,
    logId: log?.id,
    durationMs,
  };
}
