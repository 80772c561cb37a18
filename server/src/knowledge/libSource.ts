// Where the `lib` index comes from: the pinned nixpkgs' `lib` evaluated two levels deep
// (libEvaluation.ts), each member's documentation read from the source on disk
// (libDocComments.ts), the result cached beside the other indexes (libCache.ts), keyed by the
// nixpkgs tree that was evaluated. Evaluation happens in the background only, and only for a
// trusted workspace (the caller decides).
import * as fs from 'node:fs';
import { join } from 'node:path';
import { EvaluationError, errorMessage } from './errors';
import { byCodeUnits, LIB_INDEX_FORMAT, LibIndex, type LibEntryData, type LibIndexData } from './libIndex';
import { pinnedSourcePath, type NixCommands, type ProcessRunner } from './nixEvaluation';
import type { NixpkgsPin } from './nixpkgsPin';
import { evaluateLib, type EvaluatedMember } from './libEvaluation';
import { definitionAt, docCommentAt, SourceText, type DocComment } from './libDocComments';
import { STORE_PATH, findLibCacheFor, libCachePath, mtimeOf, pruneLibCaches, readLibCache, writeLibCache } from './libCache';

// ---- Building the index ----------------------------------------------------------------------

export interface BuildLibIndexOptions {
  /** The nixpkgs tree (as Nix saw it); positions inside it become relative. */
  source: string;
  /** Reads a file Nix named; undefined when it cannot be read (its members get no docs). */
  readFile: (absolutePath: string) => string | undefined;
  locations?: string[];
  revision?: string;
  now?: () => number;
}

/** Names an inherit can take members from that stand for `lib` itself. */
const LIB_ITSELF = new Set(['lib', 'self', 'final', 'prev', 'super']);

/** Turns the evaluation's listing into index data: relative files, docs, re-exports. */
export function buildLibIndexData(members: readonly EvaluatedMember[], options: BuildLibIndexOptions): LibIndexData {
  const files: string[] = [];
  const fileIds = new Map<string, number>();
  const texts = new Map<string, SourceText | undefined>();
  const roots = sourceRoots(options.source);

  const relative = (file: string): string => {
    for (const root of roots) if (file.startsWith(`${root}/`)) return file.slice(root.length + 1);
    return file;
  };
  const fileId = (absolute: string): number => {
    const name = relative(absolute);
    let id = fileIds.get(name);
    if (id === undefined) {
      id = files.length;
      files.push(name);
      fileIds.set(name, id);
    }
    return id;
  };
  const sourceOf = (file: string): SourceText | undefined => {
    if (!texts.has(file)) {
      const text = options.readFile(file);
      texts.set(file, text === undefined ? undefined : new SourceText(text));
    }
    return texts.get(file);
  };

  // Which top-level sets have which members, to recognise re-exports.
  const topSets = new Map<string, Map<string, EvaluatedMember>>();
  const topByName = new Map<string, EvaluatedMember>();
  for (const member of members) {
    topByName.set(member.name, member);
    if (member.children) topSets.set(member.name, new Map(member.children.map((c) => [c.name, c])));
  }

  const entryOf = (member: EvaluatedMember, parent: string | undefined): LibEntryData => {
    const entry: LibEntryData = { name: member.name, kind: member.kind === 'throws' ? 'value' : member.kind };
    if (member.kind === 'throws') entry.throws = true;
    if (member.formals.length) entry.formals = [...member.formals].sort(byCodeUnits);
    if (member.pos) {
      let line = member.pos.line;
      const source = sourceOf(member.pos.file);
      if (source) {
        const described = describeDefinition(source, member, (from) => aliasTarget(from, member, parent));
        if (described.line) line = described.line;
        if (described.doc) {
          entry.doc = described.doc.text;
          entry.docStyle = described.doc.style;
          if (described.doc.type) entry.type = described.doc.type;
          if (described.doc.args) entry.args = described.doc.args;
        }
        if (described.inheritedFrom !== undefined) entry.inheritedFrom = described.inheritedFrom;
        if (described.aliasOf) entry.aliasOf = described.aliasOf;
      }
      entry.pos = [fileId(member.pos.file), line];
    }
    if (parent === undefined && member.children) entry.children = member.children.map((c) => entryOf(c, member.name)).sort(byCodeUnits);
    return entry;
  };

  /** The lib member an `inherit (from) name` re-exports, when `from` names a part of lib. */
  const aliasTarget = (from: string, member: EvaluatedMember, parent: string | undefined): string[] | undefined => {
    const parts = from.replace(/^[\s(]+|[\s)]+$/g, '').split('.');
    const last = parts[parts.length - 1];
    const set = topSets.get(last);
    if (set && last !== parent) {
      const target = set.get(member.name);
      if (target && sameKind(target, member)) return [last, member.name];
    }
    if (parent !== undefined && parts.length === 1 && LIB_ITSELF.has(last)) {
      const target = topByName.get(member.name);
      if (target && sameKind(target, member)) return [member.name];
    }
    return undefined;
  };

  const entries = members.map((m) => entryOf(m, undefined)).sort(byCodeUnits);
  const data: LibIndexData = {
    format: LIB_INDEX_FORMAT,
    source: options.source,
    locations: [...(options.locations ?? [])],
    builtAt: (options.now ?? Date.now)(),
    files,
    entries,
  };
  if (options.revision) data.revision = options.revision;
  return data;
}

function sameKind(a: EvaluatedMember, b: EvaluatedMember): boolean {
  return a.kind === b.kind;
}

/** The tree as given and, when it is a symbolic link, where it leads (Nix may report either). */
function sourceRoots(source: string): string[] {
  const roots = [source.replace(/\/+$/, '')];
  try {
    const real = fs.realpathSync(source);
    if (real !== roots[0]) roots.push(real);
  } catch {
    // A tree that is gone keeps the path as given.
  }
  return roots;
}

interface DescribedDefinition {
  doc?: DocComment;
  /** The line of the definition, when it is elsewhere than where Nix placed the attribute. */
  line?: number;
  inheritedFrom?: string;
  aliasOf?: string[];
}

/**
 * Documentation for one member from its source file: the comment above its binding; for an
 * `inherit` of a single name, the comment above the statement; for a plain `inherit name`, the
 * comment above the `name = …` it takes from a `let` in the same file.
 */
function describeDefinition(source: SourceText, member: EvaluatedMember, aliasTarget: (from: string) => string[] | undefined): DescribedDefinition {
  const offset = source.offsetOf(member.pos!.line, member.pos!.column);
  const definition = definitionAt(source.text, offset);
  if (!definition) return {};
  if (definition.kind === 'binding') return { doc: docCommentAt(source.text, definition.start) };
  const described: DescribedDefinition = {};
  if (definition.from !== undefined) {
    described.inheritedFrom = definition.from;
    described.aliasOf = aliasTarget(definition.from);
  }
  if (definition.names.length === 1) described.doc = docCommentAt(source.text, definition.start);
  if (!described.doc && definition.from === undefined) {
    const binding = letBindingOf(source.text, member.name);
    if (binding !== undefined) {
      described.doc = docCommentAt(source.text, binding);
      described.line = source.lineOf(binding);
    }
  }
  return described;
}

/** The offset of the first line `name = …` in the file. */
function letBindingOf(text: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^([ \\t]*)${escaped}[ \\t]*=(?!=)`, 'm').exec(text);
  return match ? match.index + match[1].length : undefined;
}

// ---- Loading

export interface LibLoadOptions {
  /** The workspace's pinned nixpkgs. */
  pin: Exclude<NixpkgsPin, { kind: 'channel' }>;
  cacheDir: string;
  commands: NixCommands;
  runProcess?: ProcessRunner;
  signal?: AbortSignal;
  /** Do not fetch: a locked pin is served from the cache or not at all. */
  offline?: boolean;
  /** Evaluate again even when a cache matches. */
  force?: boolean;
  /**
   * Prepended to the paths Nix reports before reading them: for a Nix whose store is seen from
   * here under another directory (a chroot). Empty by default.
   */
  fileRoot?: string;
  timeoutMs?: number;
  now?: () => number;
  log?: (message: string) => void;
  /** Called when the cache does not answer and Nix starts evaluating (for a progress report). */
  onEvaluating?: () => void;
}

export interface LoadedLib {
  index: LibIndex;
  /** `cache` when nothing was evaluated. */
  origin: 'cache' | 'nix-eval';
  cachePath: string;
}

/**
 * The lib index of the pinned nixpkgs: from the cache when it matches the pin (a locked pin) or
 * the tree (a local checkout that has not changed since), else evaluated and cached.
 */
export async function loadLibIndex(options: LibLoadOptions): Promise<LoadedLib> {
  const { pin } = options;
  const fileRoot = options.fileRoot ?? '';
  const location = pin.kind === 'locked' ? pin.location : `path:${pin.path}`;
  if (pin.kind === 'locked' && !options.force) {
    const cached = findLibCacheFor(options.cacheDir, location);
    if (cached) return { index: new LibIndex(cached.data), origin: 'cache', cachePath: cached.path };
  }
  if (pin.kind === 'locked' && options.offline) throw new EvaluationError(`offline (nixNur.offline), and ${pin.description} has not been evaluated before`);

  const fetched = await pinnedSourcePath(pin, { commands: options.commands, runProcess: options.runProcess, signal: options.signal });
  const source = pin.kind === 'path' ? realPath(fetched) : fetched;
  const cachePath = libCachePath(options.cacheDir, source);
  const inStore = STORE_PATH.test(source);
  const readFile = (file: string): string | undefined => {
    try {
      return fs.readFileSync(fileRoot + file, 'utf8');
    } catch (error) {
      options.log?.(`cannot read ${file} for lib documentation: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`);
      return undefined;
    }
  };

  if (!options.force) {
    const cached = readLibCache(cachePath);
    if (cached && cached.source === source && (inStore || cached.stamp === treeStamp(cached, fileRoot))) {
      if (!cached.locations.includes(location)) {
        cached.locations.push(location);
        tryWrite(cachePath, cached, options.log);
      }
      return { index: new LibIndex(cached), origin: 'cache', cachePath };
    }
  }

  options.onEvaluating?.();
  const members = await evaluateLib(source, { commands: options.commands, runProcess: options.runProcess, signal: options.signal, timeoutMs: options.timeoutMs });
  const revision = pin.kind === 'locked' && pin.upstream ? pin.rev : gitRevisionFile(fileRoot + source);
  const data = buildLibIndexData(members, { source, readFile, locations: [location], revision, now: options.now });
  if (!inStore) data.stamp = treeStamp(data, fileRoot);
  tryWrite(cachePath, data, options.log);
  pruneLibCaches(options.cacheDir, cachePath);
  return { index: new LibIndex(data), origin: 'nix-eval', cachePath };
}

function tryWrite(path: string, data: LibIndexData, log: ((message: string) => void) | undefined): void {
  try {
    writeLibCache(path, data);
  } catch (error) {
    // Serving the index matters more than caching it.
    log?.(`cannot write ${path}: ${errorMessage(error)}`);
  }
}

function realPath(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return path;
  }
}

/** The newest modification time of the files the index was read from (a checkout can change). */
function treeStamp(data: LibIndexData, fileRoot: string): number {
  let newest = mtimeOf(fileRoot + join(data.source, 'lib'));
  for (const file of data.files) newest = Math.max(newest, mtimeOf(fileRoot + (file.startsWith('/') ? file : join(data.source, file))));
  return newest;
}

/** Channel tarballs carry the commit they were made from in `.git-revision`. */
function gitRevisionFile(root: string): string | undefined {
  try {
    const text = fs.readFileSync(join(root, '.git-revision'), 'utf8').trim();
    return /^[0-9a-f]{40}$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
