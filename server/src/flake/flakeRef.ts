// Flake references as written in `inputs.<name>.url` (and on the command line): a parser and a
// printer. The model keeps what was written — the order of query parameters, whether a prefix
// such as `path:` or `flake:` was spelled out — so that printing an unmodified reference gives
// back the original text and an edit changes only what it means to change.

export type QueryParam = readonly [name: string, value: string];

interface RefCommon {
  /** Query parameters in written order, `ref` and `rev` included when given as parameters. */
  readonly query: readonly QueryParam[];
  /** Text after `#` (an output attribute path in installables; never part of an input). */
  readonly fragment?: string;
}

/** `github:owner/repo[/ref-or-rev]`, `gitlab:…`, `sourcehut:~owner/repo[/ref-or-rev]`. */
export interface ForgeRef extends RefCommon {
  readonly type: 'github' | 'gitlab' | 'sourcehut';
  readonly owner: string;
  readonly repo: string;
  /** The third path segment: a branch, a tag or a commit hash. */
  readonly refOrRev?: string;
}

/** `git+https://…`, `git+ssh://…`, `git+file://…`, `git+http://…`. */
export interface GitRef extends RefCommon {
  readonly type: 'git';
  /** The repository URL without the `git+` prefix and without the query. */
  readonly url: string;
}

/** `hg+https://…` and friends. */
export interface MercurialRef extends RefCommon {
  readonly type: 'mercurial';
  readonly url: string;
}

/** `path:/abs`, `path:./rel`, or a bare `/abs` or `./rel`. */
export interface PathRef extends RefCommon {
  readonly type: 'path';
  readonly path: string;
  /** True when written with the `path:` prefix. */
  readonly explicit: boolean;
}

/** An archive (`tarball+https://…`, or a plain `https://…/x.tar.gz`) or a single file (`file+https://…`). */
export interface ArchiveRef extends RefCommon {
  readonly type: 'tarball' | 'file';
  /** The URL without the `tarball+`/`file+` prefix and without the query. */
  readonly url: string;
  /** True when written with the `tarball+`/`file+` prefix. */
  readonly explicit: boolean;
}

/** A name looked up in the flake registry: `nixpkgs`, `nixpkgs/nixos-24.05`, `flake:nixpkgs/<ref>/<rev>`. */
export interface IndirectRef extends RefCommon {
  readonly type: 'indirect';
  readonly id: string;
  readonly ref?: string;
  readonly rev?: string;
  /** True when written with the `flake:` prefix. */
  readonly explicit: boolean;
}

export type FlakeRef = ForgeRef | GitRef | MercurialRef | PathRef | ArchiveRef | IndirectRef;

export class FlakeRefError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`'${input}' is not a valid flake reference: ${reason}`);
  }
}

const FORGES = new Set(['github', 'gitlab', 'sourcehut']);
const GIT_TRANSPORTS = new Set(['https', 'http', 'ssh', 'file']);
const ARCHIVE_TRANSPORTS = new Set(['https', 'http', 'file']);
const ARCHIVE_SUFFIXES = ['.zip', '.tar', '.tgz', '.tar.gz', '.tar.xz', '.tar.bz2', '.tar.zst'];
const FLAKE_ID = /^[a-zA-Z][a-zA-Z0-9_-]*$/;
const REVISION = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A full git commit hash (SHA-1, or SHA-256 for repositories that use it). */
export function isRevision(text: string): boolean {
  return REVISION.test(text);
}

/** Whether a URL's path names an archive Nix unpacks (decides `tarball` over `file` for plain URLs). */
export function hasArchiveSuffix(url: string): boolean {
  const path = url.replace(/[?#].*$/, '').toLowerCase();
  return ARCHIVE_SUFFIXES.some((suffix) => path.endsWith(suffix));
}

/** Parses a flake reference; throws `FlakeRefError` with the reason when it is not one. */
export function parseFlakeRef(text: string): FlakeRef {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new FlakeRefError(text, 'it is empty');

  const hashAt = trimmed.indexOf('#');
  const fragment = hashAt >= 0 ? decodePart(trimmed.slice(hashAt + 1)) : undefined;
  const withoutFragment = hashAt >= 0 ? trimmed.slice(0, hashAt) : trimmed;
  const queryAt = withoutFragment.indexOf('?');
  const query = queryAt >= 0 ? parseQuery(withoutFragment.slice(queryAt + 1)) : [];
  const body = queryAt >= 0 ? withoutFragment.slice(0, queryAt) : withoutFragment;
  const common: RefCommon = fragment === undefined ? { query } : { query, fragment };

  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(body)?.[1];
  if (scheme === undefined) {
    if (body.startsWith('/') || body.startsWith('.')) return { ...common, type: 'path', path: body, explicit: false };
    return parseIndirect(text, body, common, false);
  }
  const rest = body.slice(scheme.length + 1);
  const lower = scheme.toLowerCase();

  if (FORGES.has(lower)) return parseForge(text, lower as ForgeRef['type'], rest, common);
  if (lower === 'flake') return parseIndirect(text, rest, common, true);
  if (lower === 'path') {
    if (rest.length === 0) throw new FlakeRefError(text, 'a path: reference needs a path');
    return { ...common, type: 'path', path: rest, explicit: true };
  }

  const plus = lower.indexOf('+');
  if (plus > 0) {
    const kind = lower.slice(0, plus);
    const transport = lower.slice(plus + 1);
    const url = `${scheme.slice(plus + 1)}:${rest}`;
    if (kind === 'git') {
      if (!GIT_TRANSPORTS.has(transport)) throw new FlakeRefError(text, `git does not support the '${transport}' transport`);
      return { ...common, type: 'git', url: checkedUrl(text, url) };
    }
    if (kind === 'hg') {
      if (!GIT_TRANSPORTS.has(transport)) throw new FlakeRefError(text, `hg does not support the '${transport}' transport`);
      return { ...common, type: 'mercurial', url: checkedUrl(text, url) };
    }
    if (kind === 'tarball' || kind === 'file') {
      if (!ARCHIVE_TRANSPORTS.has(transport)) throw new FlakeRefError(text, `${kind} does not support the '${transport}' transport`);
      return { ...common, type: kind, url: checkedUrl(text, url), explicit: true };
    }
    throw new FlakeRefError(text, `unknown scheme '${scheme}'`);
  }

  if (ARCHIVE_TRANSPORTS.has(lower)) {
    const url = checkedUrl(text, body);
    return { ...common, type: hasArchiveSuffix(url) ? 'tarball' : 'file', url, explicit: false };
  }
  throw new FlakeRefError(text, `unknown scheme '${scheme}'`);
}

/** Like `parseFlakeRef`, but undefined instead of an exception. */
export function tryParseFlakeRef(text: string): FlakeRef | undefined {
  try {
    return parseFlakeRef(text);
  } catch (error) {
    if (error instanceof FlakeRefError) return undefined;
    throw error;
  }
}

function parseForge(text: string, type: ForgeRef['type'], rest: string, common: RefCommon): ForgeRef {
  const parts = rest.split('/');
  const [owner, repo] = parts;
  if (!owner || !repo) throw new FlakeRefError(text, `a ${type}: reference needs owner/repo`);
  const tail = parts.slice(2).join('/');
  const ref: ForgeRef = { ...common, type, owner: decodePart(owner), repo: decodePart(repo) };
  return tail.length > 0 ? { ...ref, refOrRev: decodePart(tail) } : ref;
}

function parseIndirect(text: string, rest: string, common: RefCommon, explicit: boolean): IndirectRef {
  const parts = rest.split('/');
  const id = parts[0];
  if (!FLAKE_ID.test(id)) throw new FlakeRefError(text, `'${id}' is neither a flake registry name nor a URL`);
  if (parts.length > 3 || parts.slice(1).some((part) => part.length === 0)) {
    throw new FlakeRefError(text, 'a registry reference is name[/ref][/rev]');
  }
  let ref: string | undefined;
  let rev: string | undefined;
  if (parts.length === 3) {
    ref = decodePart(parts[1]);
    rev = parts[2];
    if (!isRevision(rev)) throw new FlakeRefError(text, `'${rev}' is not a commit hash`);
  } else if (parts.length === 2) {
    if (isRevision(parts[1])) rev = parts[1];
    else ref = decodePart(parts[1]);
  }
  return { ...common, type: 'indirect', id, explicit, ...(ref !== undefined ? { ref } : {}), ...(rev !== undefined ? { rev } : {}) };
}

function checkedUrl(text: string, url: string): string {
  if (!/^[a-z]+:\/\/./i.test(url)) throw new FlakeRefError(text, `'${url}' is not a URL (expected scheme://…)`);
  return url;
}

function parseQuery(text: string): QueryParam[] {
  if (text.length === 0) return [];
  return text
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [decodePart(pair), ''] : [decodePart(pair.slice(0, eq)), decodePart(pair.slice(eq + 1))];
    });
}

function decodePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A lone `%` is kept as written rather than rejected: Nix reports it better than we could.
    return text;
  }
}

/** Escapes only what would change the meaning of a query value or path segment. */
function encodePart(text: string): string {
  return text.replace(/[%&=#?\s+]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Prints a reference; for a parsed, unmodified one this is the text it was parsed from. */
export function printFlakeRef(ref: FlakeRef): string {
  let body: string;
  switch (ref.type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut':
      body = `${ref.type}:${encodePart(ref.owner)}/${encodePart(ref.repo)}`;
      if (ref.refOrRev !== undefined) body += `/${ref.refOrRev.split('/').map(encodePart).join('/')}`;
      break;
    case 'git':
      body = `git+${ref.url}`;
      break;
    case 'mercurial':
      body = `hg+${ref.url}`;
      break;
    case 'path':
      body = ref.explicit ? `path:${ref.path}` : ref.path;
      break;
    case 'tarball':
    case 'file':
      body = ref.explicit ? `${ref.type}+${ref.url}` : ref.url;
      break;
    case 'indirect':
      body = `${ref.explicit ? 'flake:' : ''}${ref.id}`;
      if (ref.ref !== undefined) body += `/${encodePart(ref.ref)}`;
      if (ref.rev !== undefined) body += `/${ref.rev}`;
      break;
  }
  if (ref.query.length > 0) {
    body += `?${ref.query.map(([name, value]) => `${encodePart(name)}=${encodePart(value)}`).join('&')}`;
  }
  if (ref.fragment !== undefined) body += `#${ref.fragment}`;
  return body;
}

/** The value of a query parameter (the last one when repeated, as Nix reads it). */
export function queryValue(ref: FlakeRef, name: string): string | undefined {
  let value: string | undefined;
  for (const [key, v] of ref.query) if (key === name) value = v;
  return value;
}

/** A copy with `name` set: replaced in place when present, appended otherwise. */
export function withQueryValue<T extends FlakeRef>(ref: T, name: string, value: string): T {
  const first = ref.query.findIndex(([key]) => key === name);
  if (first < 0) return { ...ref, query: [...ref.query, [name, value]] };
  // Repeated parameters collapse into the first one's place.
  const query = ref.query.flatMap((param, index): QueryParam[] => (param[0] !== name ? [param] : index === first ? [[name, value]] : []));
  return { ...ref, query };
}

/** A copy without any `name` parameter. */
export function withoutQueryValue<T extends FlakeRef>(ref: T, name: string): T {
  return { ...ref, query: ref.query.filter(([key]) => key !== name) };
}
