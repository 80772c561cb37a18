// flake.lock: a graph of nodes, each locked to a source, with `follows` edges given as paths from
// the root. Lock files of versions 5 to 7 share this shape; anything else is refused with a
// message that says what to do, never by throwing something unexpected at the caller.
import { isRevision, printFlakeRef } from './flakeRef';
import { refFromAttributes, type RefAttributes, type RefAttributeValue } from './refAttributes';

export const OLDEST_LOCK_VERSION = 5;
export const NEWEST_LOCK_VERSION = 7;

/** An input edge: straight to a node, or `follows` — a path of input names from the root node. */
export type LockInputTarget = { readonly node: string } | { readonly follows: readonly string[] };

export interface LockNode {
  readonly key: string;
  readonly inputs: ReadonlyMap<string, LockInputTarget>;
  readonly locked?: RefAttributes;
  readonly original?: RefAttributes;
  /** False for `flake = false` inputs (plain sources). */
  readonly flake: boolean;
}

export interface FlakeLock {
  readonly version: number;
  readonly root: string;
  readonly nodes: ReadonlyMap<string, LockNode>;
}

export class FlakeLockError extends Error {}

export type FlakeLockStatus =
  | { readonly state: 'missing' }
  | { readonly state: 'ok'; readonly lock: FlakeLock }
  | { readonly state: 'invalid'; readonly message: string };

/** Parses flake.lock text; throws `FlakeLockError` with a readable reason. */
export function parseFlakeLock(text: string): FlakeLock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FlakeLockError(`flake.lock is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) throw new FlakeLockError('flake.lock must contain a JSON object');
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) throw new FlakeLockError('flake.lock has no version number');
  if (version < OLDEST_LOCK_VERSION) {
    throw new FlakeLockError(
      `flake.lock has version ${version}, an old format not understood here (versions ${OLDEST_LOCK_VERSION}–${NEWEST_LOCK_VERSION} are); run 'nix flake lock' with a current Nix to rewrite it`,
    );
  }
  if (version > NEWEST_LOCK_VERSION) {
    throw new FlakeLockError(
      `flake.lock has version ${version}, newer than the versions ${OLDEST_LOCK_VERSION}–${NEWEST_LOCK_VERSION} understood here`,
    );
  }
  const root = json.root;
  if (typeof root !== 'string') throw new FlakeLockError("flake.lock has no 'root' node name");
  if (!isObject(json.nodes)) throw new FlakeLockError("flake.lock has no 'nodes' object");

  const nodes = new Map<string, LockNode>();
  for (const [key, value] of Object.entries(json.nodes)) nodes.set(key, readNode(key, value));
  if (!nodes.has(root)) throw new FlakeLockError(`flake.lock names '${root}' as its root, but has no such node`);
  for (const node of nodes.values()) {
    for (const [name, target] of node.inputs) {
      if ('node' in target && !nodes.has(target.node)) {
        throw new FlakeLockError(`flake.lock node '${node.key}' has input '${name}' pointing to the missing node '${target.node}'`);
      }
    }
  }
  return { version, root, nodes };
}

/** The state of a flake.lock given its text (undefined when the file does not exist). */
export function readFlakeLock(text: string | undefined): FlakeLockStatus {
  if (text === undefined) return { state: 'missing' };
  try {
    return { state: 'ok', lock: parseFlakeLock(text) };
  } catch (error) {
    if (error instanceof FlakeLockError) return { state: 'invalid', message: error.message };
    throw error;
  }
}

function readNode(key: string, value: unknown): LockNode {
  if (!isObject(value)) throw new FlakeLockError(`flake.lock node '${key}' is not an object`);
  const inputs = new Map<string, LockInputTarget>();
  if (value.inputs !== undefined) {
    if (!isObject(value.inputs)) throw new FlakeLockError(`flake.lock node '${key}' has 'inputs' that is not an object`);
    for (const [name, target] of Object.entries(value.inputs)) {
      if (typeof target === 'string') inputs.set(name, { node: target });
      else if (Array.isArray(target) && target.every((part) => typeof part === 'string')) inputs.set(name, { follows: target as string[] });
      else throw new FlakeLockError(`flake.lock node '${key}' has input '${name}' that is neither a node name nor a follows path`);
    }
  }
  const node: { -readonly [K in keyof LockNode]: LockNode[K] } = { key, inputs, flake: value.flake !== false };
  if (value.locked !== undefined) node.locked = readAttributes(key, 'locked', value.locked);
  if (value.original !== undefined) node.original = readAttributes(key, 'original', value.original);
  return node;
}

function readAttributes(key: string, field: string, value: unknown): RefAttributes {
  if (!isObject(value)) throw new FlakeLockError(`flake.lock node '${key}' has '${field}' that is not an object`);
  const attrs: Record<string, RefAttributeValue> = {};
  for (const [name, v] of Object.entries(value)) {
    // Unknown nested values (newer Nix may add some) are skipped rather than refused.
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attrs[name] = v;
  }
  if (typeof attrs.type !== 'string') throw new FlakeLockError(`flake.lock node '${key}' has '${field}' without a type`);
  return attrs;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ResolvedInput {
  readonly node: LockNode;
  /** Each `follows` path taken on the way, in order (empty for a direct edge). */
  readonly followed: readonly (readonly string[])[];
}

/** The deepest chain of follows we accept; real locks use two or three. */
const MAX_FOLLOWS = 64;

/**
 * The node reached by following the input names in `path` from the root (`['hm', 'nixpkgs']` is
 * home-manager's nixpkgs), taking `follows` edges on the way. Undefined when a name is missing or
 * the follows edges go round in a circle.
 */
export function resolveInputPath(lock: FlakeLock, path: readonly string[]): ResolvedInput | undefined {
  const followed: string[][] = [];
  const walk = (from: LockNode, names: readonly string[], budget: number): LockNode | undefined => {
    let node = from;
    for (const name of names) {
      const target = node.inputs.get(name);
      if (!target) return undefined;
      if ('node' in target) {
        const next = lock.nodes.get(target.node);
        if (!next) return undefined;
        node = next;
      } else {
        if (budget <= 0) return undefined;
        followed.push([...target.follows]);
        const next = walk(rootNode(lock), target.follows, budget - 1);
        if (!next) return undefined;
        node = next;
      }
    }
    return node;
  };
  const node = walk(rootNode(lock), path, MAX_FOLLOWS);
  return node && { node, followed };
}

export function rootNode(lock: FlakeLock): LockNode {
  // parseFlakeLock guarantees the root exists.
  return lock.nodes.get(lock.root)!;
}

/** The root's direct inputs: what flake.nix declares, as last locked. */
export function rootInputs(lock: FlakeLock): ReadonlyMap<string, LockInputTarget> {
  return rootNode(lock).inputs;
}

/** The commit a node is locked to (git, forges, mercurial, registry), if any. */
export function lockedRevision(node: LockNode): string | undefined {
  const rev = node.locked?.rev;
  return typeof rev === 'string' && isRevision(rev) ? rev : undefined;
}

/** When the locked source was last changed (seconds since the epoch), if recorded. */
export function lockedLastModified(node: LockNode): number | undefined {
  const value = node.locked?.lastModified;
  return typeof value === 'number' ? value : undefined;
}

export function lockedNarHash(node: LockNode): string | undefined {
  const value = node.locked?.narHash;
  return typeof value === 'string' ? value : undefined;
}

/** The branch or tag the node tracks: the original's `ref`, else the one the lock recorded. */
export function trackedRef(node: LockNode): string | undefined {
  const original = node.original?.ref;
  if (typeof original === 'string') return original;
  const locked = node.locked?.ref;
  return typeof locked === 'string' ? locked : undefined;
}

/** The locked and original sources as flake reference text, for display. */
export function lockedRefText(node: LockNode): string | undefined {
  const ref = node.locked && refFromAttributes(node.locked);
  return ref && printFlakeRef(ref);
}

export function originalRefText(node: LockNode): string | undefined {
  const ref = node.original && refFromAttributes(node.original);
  return ref && printFlakeRef(ref);
}
