// What the index keeps of a package: the few fields hover and completion show, normalised from
// every shape nixpkgs allows (a license may be an object, a list of them or a bare string;
// maintainers carry keys, matrix handles and ids nobody needs in a tooltip). Everything else
// (CPE identifiers, the full platform list, team positions) is dropped while indexing.

export interface LicenseInfo {
  spdxId?: string;
  shortName?: string;
  fullName?: string;
  url?: string;
  /** Whether the license is free software; unknown when absent. */
  free?: boolean;
}

export interface MaintainerInfo {
  name?: string;
  github?: string;
  email?: string;
}

/** A short description of `meta.platforms` instead of its often 80-entry list. */
export interface PlatformSummary {
  /** How many platforms (strings and patterns) are listed. */
  count: number;
  /** Kernels covered, e.g. `linux`, `darwin`. */
  kernels: string[];
  /** Which of the four commonly built systems are included. */
  main: string[];
  /** Entries given as attribute-set patterns rather than system strings. */
  patterns: number;
}

/** What is stored per package (the attribute path is the index key, so it is not repeated). */
export interface PackageRecord {
  name?: string;
  pname?: string;
  version?: string;
  description?: string;
  longDescription?: string;
  homepage?: string;
  license?: LicenseInfo[];
  maintainers?: MaintainerInfo[];
  platforms?: PlatformSummary;
  /** `file:line`, relative to the nixpkgs root (or a URL for NUR packages). */
  position?: string;
  mainProgram?: string;
  broken?: boolean;
  insecure?: boolean;
  knownVulnerabilities?: string[];
  unfree?: boolean;
  outputs?: string[];
  /** NUR packages: the repository and the attribute inside it. */
  nurRepo?: string;
  nurAttr?: string;
}

export interface PackageInfo extends PackageRecord {
  /** The attribute path, e.g. `["python313Packages", "requests"]`. */
  path: string[];
}

export const MAIN_SYSTEMS = ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'];

/** The longest long description kept; hovers are not manuals. */
export const LONG_DESCRIPTION_LIMIT = 2000;

/** Field names of a package record, used to tell a record from the `packages` wrapper. */
export const PACKAGE_RECORD_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'pname',
  'version',
  'system',
  'meta',
  'outputName',
  'outputs',
  '_attr',
  '_repo',
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function flag(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** Converts one raw record (`nix-env --json --meta` shape) to what the index stores. */
export function toPackageRecord(raw: unknown): PackageRecord {
  const record = isObject(raw) ? raw : {};
  const meta = isObject(record.meta) ? record.meta : {};
  const info: PackageRecord = {};
  // Only defined fields are set: the record is serialised as is.
  const set = <K extends keyof PackageRecord>(key: K, value: PackageRecord[K] | undefined) => {
    if (value !== undefined) info[key] = value;
  };
  set('name', text(record.name));
  set('pname', text(record.pname));
  set('version', text(record.version));
  set('description', text(meta.description)?.trim());
  const long = text(meta.longDescription)?.trim();
  if (long) info.longDescription = long.length > LONG_DESCRIPTION_LIMIT ? `${long.slice(0, LONG_DESCRIPTION_LIMIT).trimEnd()}…` : long;
  const homepage = Array.isArray(meta.homepage) ? meta.homepage.find((h) => typeof h === 'string') : meta.homepage;
  set('homepage', text(homepage));
  const license = normaliseLicenses(meta.license);
  set('license', license);
  set('maintainers', normaliseMaintainers(meta.maintainers));
  set('platforms', summarisePlatforms(meta.platforms));
  set('position', text(meta.position));
  set('mainProgram', text(meta.mainProgram));
  if (meta.broken === true) info.broken = true;
  const vulnerabilities = Array.isArray(meta.knownVulnerabilities)
    ? meta.knownVulnerabilities.filter((v): v is string => typeof v === 'string')
    : [];
  if (vulnerabilities.length) info.knownVulnerabilities = vulnerabilities;
  if (meta.insecure === true || vulnerabilities.length > 0) info.insecure = true;
  if (meta.unfree === true || (meta.unfree === undefined && license?.some((l) => l.free === false))) info.unfree = true;
  set('outputs', outputNames(record.outputs, meta.outputsToInstall));
  set('nurRepo', text(record._repo));
  set('nurAttr', text(record._attr));
  return info;
}

/**
 * Drops what can be derived again: the name when it is `pname-version` (and, in
 * `normaliseLicenses`, a license URL that is the SPDX page of its id). About a tenth of the
 * index. `expandPackageRecord` undoes both.
 */
export function compactPackageRecord(record: PackageRecord): PackageRecord {
  if (record.name !== undefined && record.pname !== undefined && record.version !== undefined && record.name === `${record.pname}-${record.version}`) {
    delete record.name;
  }
  return record;
}

/** Undoes `compactPackageRecord`; shared (frozen) license entries are copied, not changed. */
export function expandPackageRecord(record: PackageRecord): PackageRecord {
  if (record.name === undefined && record.pname !== undefined && record.version !== undefined) record.name = `${record.pname}-${record.version}`;
  if (record.license?.some((l) => l.url === undefined && l.spdxId !== undefined)) {
    record.license = record.license.map((l) => (l.url === undefined && l.spdxId !== undefined ? { ...l, url: spdxUrl(l.spdxId) } : l));
  }
  return record;
}

function spdxUrl(id: string): string {
  return `https://spdx.org/licenses/${id}.html`;
}

/** The licenses of a package, compacted (see `compactPackageRecord`). */
export function normaliseLicenses(value: unknown): LicenseInfo[] | undefined {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const licenses: LicenseInfo[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      if (item) licenses.push({ fullName: item });
    } else if (isObject(item)) {
      const spdxId = text(item.spdxId);
      const url = text(item.url);
      const license = dropUndefined<LicenseInfo>({
        spdxId,
        shortName: text(item.shortName),
        fullName: text(item.fullName),
        // The SPDX page of the id is added back when read.
        url: spdxId !== undefined && url === spdxUrl(spdxId) ? undefined : url,
        free: flag(item.free),
      });
      if (license.spdxId || license.shortName || license.fullName) licenses.push(license);
    }
  }
  return licenses.length ? licenses : undefined;
}

export function normaliseMaintainers(value: unknown): MaintainerInfo[] | undefined {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const maintainers: MaintainerInfo[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      if (item) maintainers.push({ name: item });
    } else if (isObject(item)) {
      const maintainer = dropUndefined<MaintainerInfo>({ name: text(item.name), github: text(item.github), email: text(item.email) });
      if (maintainer.name || maintainer.github || maintainer.email) maintainers.push(maintainer);
    }
  }
  return maintainers.length ? maintainers : undefined;
}

const MAIN_SYSTEM_SET: ReadonlySet<string> = new Set(MAIN_SYSTEMS);

export function summarisePlatforms(value: unknown): PlatformSummary | undefined {
  if (!Array.isArray(value)) return undefined;
  const kernels = new Set<string>();
  const main: string[] = [];
  let patterns = 0;
  for (const item of value) {
    if (typeof item === 'string') {
      const dash = item.indexOf('-');
      if (dash > 0) kernels.add(item.slice(dash + 1));
      if (MAIN_SYSTEM_SET.has(item) && !main.includes(item)) main.push(item);
    } else if (isObject(item)) {
      patterns++;
      const kernel = isObject(item.kernel) ? text(item.kernel.name) : undefined;
      if (kernel) kernels.add(kernel);
    }
  }
  main.sort((a, b) => MAIN_SYSTEMS.indexOf(a) - MAIN_SYSTEMS.indexOf(b));
  return { count: value.length, kernels: [...kernels].sort(), main, patterns };
}

function outputNames(outputs: unknown, toInstall: unknown): string[] | undefined {
  let names: string[] = [];
  if (isObject(outputs)) names = Object.keys(outputs);
  else if (Array.isArray(outputs)) names = outputs.filter((o): o is string => typeof o === 'string');
  else if (Array.isArray(toInstall)) names = toInstall.filter((o): o is string => typeof o === 'string');
  // A lone `out` says nothing worth showing.
  return names.length > 1 || (names.length === 1 && names[0] !== 'out') ? names : undefined;
}

export function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
