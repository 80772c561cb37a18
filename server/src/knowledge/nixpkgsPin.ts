// Which nixpkgs the workspace uses: the `nixpkgs` input of a workspace's flake.lock, else the
// `nixpkgs=` entry of NIX_PATH. Everything read here ends up in a Nix expression's environment or
// a command line, so each field is checked against what such a field can legitimately look like.
import * as fs from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** Attributes handed to `builtins.fetchTree`, validated. */
export type LockedRef = Record<string, string | boolean>;

export type NixpkgsPin =
  | {
      kind: 'locked';
      /** Where it was found, for messages (`~/proj/flake.lock, input nixpkgs`). */
      description: string;
      locked: LockedRef;
      /** A stable name for the pinned tree (`github:NixOS/nixpkgs/<rev>`), keys the cache. */
      location: string;
      /** The commit, when the pin names one. */
      rev?: string;
      /** Whether the pinned tree is NixOS/nixpkgs on GitHub (so source links can use `rev`). */
      upstream: boolean;
      narHash?: string;
    }
  | { kind: 'path'; description: string; path: string }
  | { kind: 'channel'; description: string; channel: string };

const NAME = /^[A-Za-z0-9_.-]+$/;
const REV = /^[0-9a-f]{40}$/;
const NAR_HASH = /^sha(256|512)-[A-Za-z0-9+/=]+$/;
const REF = /^[A-Za-z0-9/._+-]+$/;
const HOST = /^[A-Za-z0-9.-]+(:\d+)?$/;
const CHANNEL = /^[A-Za-z0-9._-]+$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first pin found: each workspace folder's flake.lock, then NIX_PATH. */
export function findNixpkgsPin(workspaceFolders: readonly string[], nixPath: string | undefined): NixpkgsPin | undefined {
  for (const folder of workspaceFolders) {
    const lockFile = join(folder, 'flake.lock');
    let text: string;
    try {
      text = fs.readFileSync(lockFile, 'utf8');
    } catch {
      continue;
    }
    const pin = pinFromFlakeLock(text, lockFile);
    if (pin) return pin;
  }
  return nixPath ? pinFromNixPath(nixPath) : undefined;
}

/** The nixpkgs a flake.lock pins, or undefined (no such input, an unsupported type, bad fields). */
export function pinFromFlakeLock(text: string, lockFile: string): NixpkgsPin | undefined {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(lock) || !isObject(lock.nodes)) return undefined;
  const nodes = lock.nodes;
  const rootName = typeof lock.root === 'string' ? lock.root : 'root';
  const root = nodes[rootName];
  if (!isObject(root) || !isObject(root.inputs)) return undefined;
  const inputs = root.inputs;
  // The input called nixpkgs; else any root input locked to NixOS/nixpkgs.
  const candidates = ['nixpkgs', ...Object.keys(inputs).filter((name) => name !== 'nixpkgs')];
  for (const input of candidates) {
    const node = resolveInput(nodes, rootName, inputs[input], 0);
    if (!node || !isObject(node.locked)) continue;
    const locked = node.locked;
    if (input !== 'nixpkgs' && !(locked.type === 'github' && locked.owner === 'NixOS' && locked.repo === 'nixpkgs')) continue;
    const pin = pinFromLocked(locked, `${lockFile}, input ${input}`);
    if (pin) return pin;
  }
  return undefined;
}

/** Follows an input reference: a node name, or a `follows` path from the root. */
function resolveInput(nodes: Json, rootName: string, reference: unknown, depth: number): Json | undefined {
  if (depth > 16) return undefined;
  if (typeof reference === 'string') return isObject(nodes[reference]) ? (nodes[reference] as Json) : undefined;
  if (!Array.isArray(reference)) return undefined;
  let node: Json | undefined = isObject(nodes[rootName]) ? (nodes[rootName] as Json) : undefined;
  for (const step of reference) {
    if (!node || typeof step !== 'string' || !isObject(node.inputs)) return undefined;
    node = resolveInput(nodes, rootName, node.inputs[step], depth + 1);
  }
  return node;
}

/**
 * What a lock node's `locked` attributes let Nix fetch, every field checked (they reach Nix as
 * fetchTree attributes); undefined for unsupported types or bad fields. Any input, not only nixpkgs.
 */
export function pinFromLocked(locked: Json, description: string): NixpkgsPin | undefined {
  const narHash = typeof locked.narHash === 'string' && NAR_HASH.test(locked.narHash) ? locked.narHash : undefined;
  switch (locked.type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut': {
      const { owner, repo, rev, host } = locked;
      if (typeof owner !== 'string' || !NAME.test(owner.replace(/^~/, ''))) return undefined;
      if (typeof repo !== 'string' || !NAME.test(repo) || typeof rev !== 'string' || !REV.test(rev)) return undefined;
      const ref: LockedRef = { type: locked.type, owner, repo, rev };
      if (typeof host === 'string') {
        if (!HOST.test(host)) return undefined;
        ref.host = host;
      }
      if (narHash) ref.narHash = narHash;
      return {
        kind: 'locked',
        description,
        locked: ref,
        location: `${locked.type}:${owner}/${repo}/${rev}`,
        rev,
        upstream: locked.type === 'github' && owner === 'NixOS' && repo === 'nixpkgs' && host === undefined,
        narHash,
      };
    }
    case 'git': {
      const { url, rev, ref: branch } = locked;
      if (typeof url !== 'string' || !validUrl(url, ['https:', 'http:', 'ssh:', 'file:', 'git:'])) return undefined;
      if (typeof rev !== 'string' || !REV.test(rev)) return undefined;
      const ref: LockedRef = { type: 'git', url, rev };
      if (typeof branch === 'string') {
        if (!REF.test(branch)) return undefined;
        ref.ref = branch;
      }
      if (locked.shallow === true) ref.shallow = true;
      if (locked.submodules === true) ref.submodules = true;
      if (narHash) ref.narHash = narHash;
      return {
        kind: 'locked',
        description,
        locked: ref,
        location: `git+${url}?rev=${rev}`,
        rev,
        upstream: /^https:\/\/github\.com\/NixOS\/nixpkgs(\.git)?$/i.test(url),
        narHash,
      };
    }
    case 'tarball': {
      const { url } = locked;
      if (typeof url !== 'string' || !validUrl(url, ['https:', 'http:', 'file:']) || !narHash) return undefined;
      return { kind: 'locked', description, locked: { type: 'tarball', url, narHash }, location: `${url}#${narHash}`, upstream: false, narHash };
    }
    case 'path': {
      const { path } = locked;
      if (typeof path !== 'string' || !isAbsolute(path) || path.includes('\0')) return undefined;
      return { kind: 'path', description, path };
    }
    default:
      return undefined;
  }
}

function validUrl(text: string, protocols: string[]): boolean {
  if (/[\s\0]/.test(text) || text.startsWith('-')) return false;
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** Splits NIX_PATH on `:`, keeping `https://…` and `channel:…` entries whole. */
export function splitNixPath(nixPath: string): string[] {
  const entries: string[] = [];
  for (const segment of nixPath.split(':')) {
    const previous = entries[entries.length - 1];
    if (previous !== undefined && (segment.startsWith('//') || /(^|=)channel$/.test(previous))) entries[entries.length - 1] += `:${segment}`;
    else entries.push(segment);
  }
  return entries.filter((e) => e.length > 0);
}

/** `nixpkgs=/path`, `nixpkgs=channel:NAME`, or a directory holding `nixpkgs/`. */
export function pinFromNixPath(nixPath: string, exists: (path: string) => boolean = fs.existsSync): NixpkgsPin | undefined {
  for (const entry of splitNixPath(nixPath)) {
    const eq = entry.indexOf('=');
    if (eq >= 0) {
      if (entry.slice(0, eq) !== 'nixpkgs') continue;
      const value = entry.slice(eq + 1);
      if (value.startsWith('channel:')) {
        const channel = value.slice('channel:'.length);
        if (CHANNEL.test(channel)) return { kind: 'channel', description: `NIX_PATH nixpkgs=${value}`, channel };
        continue;
      }
      if (isAbsolute(value) && !value.includes('\0')) return { kind: 'path', description: `NIX_PATH nixpkgs=${value}`, path: value };
      // URLs (tarballs) are left to the channel download.
      continue;
    }
    if (isAbsolute(entry) && exists(join(entry, 'nixpkgs'))) {
      return { kind: 'path', description: `NIX_PATH ${entry}`, path: join(entry, 'nixpkgs') };
    }
  }
  return undefined;
}
