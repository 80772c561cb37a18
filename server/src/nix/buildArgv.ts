// Argument vectors for building and for listing what can be built, per Nix version, and readers for
// what those commands print on stdout.
import type { NixCapabilities } from './version';

/** `nix build`/`nix eval` need both features on installations that did not enable them in nix.conf. */
export const EXPERIMENTAL_FEATURES = ['--extra-experimental-features', 'nix-command flakes'] as const;

/** Activity stream on stderr, one level more verbose so Nix names the files it evaluates (see features/build/workspaceSources.ts). */
export const INTERNAL_JSON_LOG = ['--log-format', 'internal-json', '-v'] as const;

/** How the output paths of a build are read from its stdout. */
export type OutputStyle = 'lines' | 'json';

export interface BuildInvocation {
  program: 'nix' | 'nix-build';
  args: string[];
  outputStyle: OutputStyle;
}

/**
 * `nix build INSTALLABLE`. No `result` link is made (the editor shows the paths instead); outputs
 * come from `--print-out-paths` where Nix has it (2.11+), else from `--json`, which 2.8 supports
 * together with `--no-link`.
 */
export function flakeBuildInvocation(capabilities: NixCapabilities, installable: string): BuildInvocation {
  const outputs = capabilities.printOutPaths ? '--print-out-paths' : '--json';
  return {
    program: 'nix',
    args: ['build', ...EXPERIMENTAL_FEATURES, ...INTERNAL_JSON_LOG, '--show-trace', '--no-link', outputs, installable],
    outputStyle: capabilities.printOutPaths ? 'lines' : 'json',
  };
}

/**
 * `nix-build FILE -A ATTR` (every derivation in FILE without ATTR), which prints the output paths
 * one per line in every version.
 */
export function legacyBuildInvocation(file: string, attr?: string): BuildInvocation {
  return {
    program: 'nix-build',
    args: [file, ...(attr ? ['-A', attr] : []), '--no-out-link', ...INTERNAL_JSON_LOG, '--show-trace'],
    outputStyle: 'lines',
  };
}

/** Store paths from a build's stdout; tolerant of stray lines. */
export function parseBuildOutputs(stdout: string, style: OutputStyle): string[] {
  if (style === 'json') {
    try {
      const results: unknown = JSON.parse(stdout);
      if (!Array.isArray(results)) return [];
      const paths: string[] = [];
      for (const result of results) {
        const outputs = (result as { outputs?: unknown })?.outputs;
        if (outputs && typeof outputs === 'object') {
          for (const path of Object.values(outputs)) if (typeof path === 'string') paths.push(path);
        }
      }
      return paths;
    } catch {
      return parseBuildOutputs(stdout, 'lines');
    }
  }
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^\/\S+$/.test(line));
}

/**
 * Quotes attribute names that are not plain identifiers, so `-A` and `#` read them as one name:
 * `["python3Packages", "foo.bar"]` → `python3Packages."foo.bar"`.
 */
export function attrPathText(segments: readonly string[]): string {
  return segments.map((segment) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(segment) ? segment : JSON.stringify(segment))).join('.');
}

/**
 * Evaluates a flake's `packages` for the current system. `--impure` only so that
 * `builtins.currentSystem` is known inside `--apply`. Each package's name and description are read
 * under `tryEval`, so one broken package leaves the others listed.
 */
export function flakePackagesInvocation(flakeRef: string): { program: 'nix'; args: string[] } {
  const apply = `packages:
    let
      system = builtins.currentSystem;
      forSystem = packages.\${system} or { };
      describe = name: value:
        let
          info = if builtins.isAttrs value then {
            name = if builtins.isString (value.name or null) then value.name else name;
            description = if builtins.isString (value.meta.description or null) then value.meta.description else "";
          } else { inherit name; description = ""; };
          tried = builtins.tryEval (builtins.deepSeq info info);
        in if tried.success then tried.value else { inherit name; description = ""; };
    in { inherit system; packages = builtins.mapAttrs describe forSystem; }`;
  return { program: 'nix', args: ['eval', ...EXPERIMENTAL_FEATURES, '--impure', '--json', `${flakeRef}#packages`, '--apply', apply] };
}

/** The fallback when describing packages fails: only their names. */
export function flakePackageNamesInvocation(flakeRef: string): { program: 'nix'; args: string[] } {
  const apply = `packages: let system = builtins.currentSystem; in { inherit system; names = builtins.attrNames (packages.\${system} or { }); }`;
  return { program: 'nix', args: ['eval', ...EXPERIMENTAL_FEATURES, '--impure', '--json', `${flakeRef}#packages`, '--apply', apply] };
}

// The file arrives through --argstr, never spliced into the expression.
const LEGACY_ROOT = `imported = import (/. + file);
      root = if builtins.isFunction imported then imported { } else imported;`;

/**
 * A file's top-level attributes that are derivations (`kind = "derivation"`) or could not be
 * inspected (`kind = "unknown"`, e.g. an attribute that needs `<nixpkgs>`), evaluated with
 * `nix-instantiate --eval`. A function file (`{ pkgs ? import <nixpkgs> { } }: …`) is called with its
 * defaults, like `nix-build` does.
 */
export function legacyAttributesInvocation(file: string): { program: 'nix-instantiate'; args: string[] } {
  const expression = `{ file }:
    let
      ${LEGACY_ROOT}
      inspect = attr:
        let value = root.\${attr};
        in if builtins.isAttrs value && (value.type or null) == "derivation" then {
          inherit attr;
          kind = "derivation";
          name = if builtins.isString (value.name or null) then value.name else attr;
          description = if builtins.isString (value.meta.description or null) then value.meta.description else "";
        } else { inherit attr; kind = "other"; };
      describe = attr:
        let
          info = inspect attr;
          tried = builtins.tryEval (builtins.deepSeq info info);
        in if tried.success then tried.value else { inherit attr; kind = "unknown"; };
    in builtins.filter (entry: entry.kind != "other") (map describe (builtins.attrNames root))`;
  return { program: 'nix-instantiate', args: ['--eval', '--strict', '--json', '--argstr', 'file', file, '--expr', expression] };
}

/** The fallback when inspecting attributes fails (e.g. `<nixpkgs>` is not available): names only. */
export function legacyAttributeNamesInvocation(file: string): { program: 'nix-instantiate'; args: string[] } {
  const expression = `{ file }: let ${LEGACY_ROOT} in builtins.attrNames root`;
  return { program: 'nix-instantiate', args: ['--eval', '--strict', '--json', '--argstr', 'file', file, '--expr', expression] };
}
