// How each kind of source file becomes index entries: which wrapper key to look into, how a key
// becomes an attribute path, and what to keep of each record.
import { splitPackageKey } from './attrPath';
import type { IndexKind } from './indexFile';
import { NUR_REPO_FIELDS, toNurRepoRecord } from './nurRecord';
import { optionLoc, toOptionRecord } from './optionRecord';
import {
  compactPackageRecord,
  normaliseLicenses,
  normaliseMaintainers,
  PACKAGE_RECORD_FIELDS,
  summarisePlatforms,
  toPackageRecord,
  type PackageRecord,
} from './packageRecord';
import type { TrimSpec } from './prettyTrim';
import type { ScannerOptions } from './jsonMemberScanner';

export interface ConvertedRecord {
  path: string[];
  record: object;
}

export interface RecordConverter {
  kind: IndexKind;
  /** What one record is called in messages. */
  noun: string;
  scanner: ScannerOptions;
  /** Record fields whose values many records share; stored once (see indexFile.ts). */
  sharedFields: string[];
  /** Members to cut from pretty-printed records before parsing (see prettyTrim.ts). */
  trim?: TrimSpec;
  /** The entry for one member, or a reason to skip it; `extracted` holds raw trimmed members. */
  convert(key: string, value: Record<string, unknown>, extracted?: Record<string, string>): ConvertedRecord | string;
}

const PACKAGE_SHARED_FIELDS = ['license', 'maintainers', 'platforms', 'outputs'];

/**
 * Meta members a package record never uses, and the ones read from their raw text (see
 * `RawValueCache`).
 */
const PACKAGE_TRIM: TrimSpec = {
  within: 'meta',
  drop: new Set([
    'identifiers',
    'nonTeamMaintainers',
    'teams',
    'teamsPosition',
    'maintainersPosition',
    'hydraPlatforms',
    'badPlatforms',
    'outputsToInstall',
    'sourceProvenance',
    'pkgConfigModules',
    'problems',
  ]),
  extract: new Set(['platforms', 'license', 'maintainers']),
};

/**
 * Platform lists (`lib.platforms.all`, `unix`, …), licenses and maintainer lists repeat across
 * thousands of packages: each distinct raw text is parsed and normalised once, and every package
 * that has it gets the same object (which the index then stores once).
 */
class RawValueCache<T> {
  private readonly cache = new Map<string, T | undefined>();

  constructor(private readonly normalise: (value: unknown) => T | undefined) {}

  get(raw: string): T | undefined {
    if (this.cache.has(raw)) return this.cache.get(raw);
    let value: T | undefined;
    try {
      value = this.normalise(JSON.parse(raw));
    } catch {
      value = undefined;
    }
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(raw, value);
    return value;
  }
}

function packageCaches() {
  return {
    platforms: new RawValueCache(summarisePlatforms),
    license: new RawValueCache(normaliseLicenses),
    maintainers: new RawValueCache(normaliseMaintainers),
  };
}

type PackageCaches = ReturnType<typeof packageCaches>;

function packageRecordFrom(value: Record<string, unknown>, extracted: Record<string, string> | undefined, caches: PackageCaches) {
  const record = toPackageRecord(value);
  if (extracted) {
    if (extracted.platforms !== undefined) setIfDefined(record, 'platforms', caches.platforms.get(extracted.platforms));
    if (extracted.maintainers !== undefined) setIfDefined(record, 'maintainers', caches.maintainers.get(extracted.maintainers));
    if (extracted.license !== undefined) {
      const license = caches.license.get(extracted.license);
      setIfDefined(record, 'license', license);
      // As in toPackageRecord: without `meta.unfree`, an unfree license says it.
      const meta = value.meta as Record<string, unknown> | undefined;
      if (meta?.unfree === undefined && license?.some((l) => l.free === false)) record.unfree = true;
    }
  }
  return compactPackageRecord(record);
}

function setIfDefined<K extends keyof PackageRecord>(record: PackageRecord, key: K, value: PackageRecord[K] | undefined): void {
  if (value !== undefined) record[key] = value;
}

function validParts(parts: string[]): boolean {
  return parts.length > 0 && parts.every((p) => p.length > 0);
}

/** nixpkgs' packages: channel `packages.json` or `nix-env -qaP --json --meta` output. */
export function packageConverter(): RecordConverter {
  const caches = packageCaches();
  return {
    kind: 'packages',
    noun: 'package',
    scanner: { containerKey: 'packages', recordFields: PACKAGE_RECORD_FIELDS },
    sharedFields: PACKAGE_SHARED_FIELDS,
    trim: PACKAGE_TRIM,
    convert(key, value, extracted) {
      const path = splitPackageKey(key);
      if (!validParts(path)) return 'its attribute path has an empty part';
      return { path, record: packageRecordFrom(value, extracted, caches) };
    },
  };
}

/** NUR's package index: keys `nur.repos.<repo>.<attr>`, records with `_repo` and `_attr`. */
export function nurPackageConverter(): RecordConverter {
  const caches = packageCaches();
  return {
    kind: 'nur-packages',
    noun: 'NUR package',
    scanner: { containerKey: 'packages', recordFields: PACKAGE_RECORD_FIELDS },
    sharedFields: PACKAGE_SHARED_FIELDS,
    trim: PACKAGE_TRIM,
    convert(key, value, extracted) {
      let path: string[];
      if (typeof value._repo === 'string' && typeof value._attr === 'string' && value._repo && value._attr) {
        path = ['nur', 'repos', value._repo, ...splitPackageKey(value._attr)];
      } else {
        path = splitPackageKey(key);
        if (path[0] !== 'nur' || path[1] !== 'repos' || path.length < 4) return 'its key does not start with nur.repos.<repo>.';
      }
      if (!validParts(path)) return 'its attribute path has an empty part';
      return { path, record: packageRecordFrom(value, extracted, caches) };
    },
  };
}

/** NixOS or Home Manager `options.json`: keys are option names, `loc` holds the real parts. */
export function optionConverter(): RecordConverter {
  return {
    kind: 'options',
    noun: 'option',
    scanner: {},
    sharedFields: ['type', 'declarations'],
    convert(key, value) {
      const loc = optionLoc(key, value);
      if (!validParts(loc)) return 'its name has an empty part';
      return { path: loc, record: toOptionRecord(value) };
    },
  };
}

/** NUR's `repos.json`: `{ "repos": { name: { url, github-contact, … } } }`. */
export function nurRepoConverter(): RecordConverter {
  return {
    kind: 'nur-repos',
    noun: 'NUR repository',
    scanner: { containerKey: 'repos', recordFields: NUR_REPO_FIELDS },
    sharedFields: [],
    convert(key, value) {
      if (!key) return 'its name is empty';
      return { path: [key], record: toNurRepoRecord(value) };
    },
  };
}
