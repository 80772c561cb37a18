// The `nixNur.*` settings: their defaults, and validation of whatever a client sends. A client may
// send nothing, partial objects, or values of the wrong type; each bad value falls back to its
// default and is reported once, so a typo in settings.json never stops the server.

export interface Settings {
  diagnostics: {
    debounceMs: number;
    unusedFormals: boolean;
    /** Diagnostic codes never reported. */
    ignore: string[];
    /** Globs of files no diagnostics are reported for. */
    exclude: string[];
    /** Report an unused `finalAttrs`/`self`/`super`/`final`/`prev` parameter. */
    unusedConventionalArguments: boolean;
  };
  /** Documents larger than this (characters) are not parsed or analysed. */
  maxFileSize: number;
  /** Directory holding `nix`, `nix-build`, …; empty: look them up on PATH. */
  nix: { binDir: string };
  nixpkgs: { packages: string; channel: string };
  nixos: { options: string };
  homeManager: { options: string };
  nur: { repos: string; packages: string };
  offline: boolean;
  /** Which inlay hints are shown. */
  inlayHints: { packageVersions: boolean; flakeInputs: boolean; optionTypes: boolean };
  /** Workspace configurations whose options are evaluated: `auto` (all found), or ids such as `nixosConfigurations.box` (`[]`: none). */
  configurations: 'auto' | string[];
  /** An external formatter's argument vector (document on stdin); empty: the built-in one. */
  formatting: { command: string[] };
}

export const DEFAULT_SETTINGS: Settings = {
  diagnostics: { debounceMs: 200, unusedFormals: true, ignore: [], exclude: [], unusedConventionalArguments: false },
  maxFileSize: 1_000_000,
  nix: { binDir: '' },
  nixpkgs: { packages: 'auto', channel: 'nixos-unstable' },
  nixos: { options: 'auto' },
  homeManager: { options: '' },
  nur: { repos: 'auto', packages: 'auto' },
  offline: false,
  inlayHints: { packageVersions: true, flakeInputs: true, optionTypes: true },
  configurations: 'auto',
  formatting: { command: [] },
};

export interface ParsedSettings {
  settings: Settings;
  /** One line per value that was ignored, e.g. `nixNur.maxFileSize: expected a number`. */
  problems: string[];
}

/** Builds settings from the `nixNur` object a client sent (or undefined). */
export function parseSettings(raw: unknown): ParsedSettings {
  const problems: string[] = [];
  const read = readerFor(raw, 'nixNur', problems);
  const settings: Settings = {
    diagnostics: {
      debounceMs: read.number('diagnostics.debounceMs', DEFAULT_SETTINGS.diagnostics.debounceMs, 0, 10_000),
      unusedFormals: read.boolean('diagnostics.unusedFormals', DEFAULT_SETTINGS.diagnostics.unusedFormals),
      ignore: trimmedList(read.stringList('diagnostics.ignore', [])),
      exclude: trimmedList(read.stringList('diagnostics.exclude', [])),
      unusedConventionalArguments: read.boolean('diagnostics.unusedConventionalArguments', DEFAULT_SETTINGS.diagnostics.unusedConventionalArguments),
    },
    maxFileSize: read.number('maxFileSize', DEFAULT_SETTINGS.maxFileSize, 1_000, 1_000_000_000),
    nix: { binDir: read.string('nix.binDir', DEFAULT_SETTINGS.nix.binDir) },
    nixpkgs: {
      packages: read.string('nixpkgs.packages', DEFAULT_SETTINGS.nixpkgs.packages),
      channel: read.string('nixpkgs.channel', DEFAULT_SETTINGS.nixpkgs.channel),
    },
    nixos: { options: read.string('nixos.options', DEFAULT_SETTINGS.nixos.options) },
    homeManager: { options: read.string('homeManager.options', DEFAULT_SETTINGS.homeManager.options) },
    nur: {
      repos: read.string('nur.repos', DEFAULT_SETTINGS.nur.repos),
      packages: read.string('nur.packages', DEFAULT_SETTINGS.nur.packages),
    },
    offline: read.boolean('offline', DEFAULT_SETTINGS.offline),
    inlayHints: {
      packageVersions: read.boolean('inlayHints.packageVersions', DEFAULT_SETTINGS.inlayHints.packageVersions),
      flakeInputs: read.boolean('inlayHints.flakeInputs', DEFAULT_SETTINGS.inlayHints.flakeInputs),
      optionTypes: read.boolean('inlayHints.optionTypes', DEFAULT_SETTINGS.inlayHints.optionTypes),
    },
    configurations: readConfigurations(raw, problems),
    formatting: { command: read.stringList('formatting.command', DEFAULT_SETTINGS.formatting.command) },
  };
  if (!/^[A-Za-z0-9._-]+$/.test(settings.nixpkgs.channel)) {
    problems.push(`nixNur.nixpkgs.channel: '${settings.nixpkgs.channel}' is not a channel name`);
    settings.nixpkgs.channel = DEFAULT_SETTINGS.nixpkgs.channel;
  }
  return { settings, problems };
}

/** `nixNur.configurations`: `"auto"` or a list of configuration ids. */
function readConfigurations(raw: unknown, problems: string[]): 'auto' | string[] {
  const value = isObject(raw) ? (raw.configurations ?? undefined) : undefined;
  if (value === undefined || value === null || value === 'auto') return 'auto';
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((v) => v.trim()).filter(Boolean);
  problems.push('nixNur.configurations: expected "auto" or a list such as ["nixosConfigurations.box"]; using "auto"');
  return 'auto';
}

interface Reader {
  number(path: string, fallback: number, min: number, max: number): number;
  string(path: string, fallback: string): string;
  boolean(path: string, fallback: boolean): boolean;
  /** A list of strings; `fallback` when absent or not a list of strings. */
  stringList(path: string, fallback: string[]): string[];
}

/**
 * Values may come nested (`{ nixpkgs: { channel } }`, as workspace/configuration returns them) or
 * flat with dotted keys (`{ "nixpkgs.channel": … }`, as some editors' settings files write them).
 */
function readerFor(raw: unknown, prefix: string, problems: string[]): Reader {
  const root = isObject(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isObject(raw)) problems.push(`${prefix}: expected an object`);
  const lookup = (path: string): unknown => {
    if (path in root) return root[path];
    let current: unknown = root;
    for (const key of path.split('.')) {
      if (!isObject(current) || !(key in current)) return undefined;
      current = current[key];
    }
    return current;
  };
  const bad = (path: string, expected: string) => problems.push(`${prefix}.${path}: expected ${expected}; using the default`);
  return {
    number(path, fallback, min, max) {
      const value = lookup(path);
      if (value === undefined || value === null) return fallback;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
        bad(path, `a number from ${min} to ${max}`);
        return fallback;
      }
      return value;
    },
    string(path, fallback) {
      const value = lookup(path);
      if (value === undefined || value === null) return fallback;
      if (typeof value !== 'string') {
        bad(path, 'a string');
        return fallback;
      }
      return value.trim();
    },
    boolean(path, fallback) {
      const value = lookup(path);
      if (value === undefined || value === null) return fallback;
      if (typeof value !== 'boolean') {
        bad(path, 'true or false');
        return fallback;
      }
      return value;
    },
    stringList(path, fallback) {
      const value = lookup(path);
      if (value === undefined || value === null) return fallback;
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
        bad(path, 'a list of strings');
        return fallback;
      }
      return value;
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Entries of a list setting without surrounding blanks, empty ones dropped. */
function trimmedList(values: string[]): string[] {
  return values.map((value) => value.trim()).filter((value) => value !== '');
}
