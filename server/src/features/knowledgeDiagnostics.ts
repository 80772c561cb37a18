// Diagnostics that need the indexes, each with a stable `code` and a "did you mean" in `data`:
// - `unknown-option` (warning): a module sets an option path the NixOS or Home Manager index does
//   not know, in a module detected beyond reasonable doubt. Names below a submodule's options
//   are checked against them (`virtualHosts."example.org".rooot`, `users.users.alice.isNormalUsr`),
//   but paths inside an option's own value (`boot.kernel.sysctl."vm.swappiness"`, freeform
//   `settings`) are the option type's business and are never reported, nor are computed names,
//   options this file declares itself, and the Home Manager NixOS module (`home-manager.*`, not
//   part of the NixOS index). An unknown name is reported only when it looks like a typo of a
//   known one (a suggestion exists): modules from elsewhere (a flake's `sops`, `disko`,
//   `services.<its own>`) add names no index knows, and renamed options are left out of the
//   indexes while Nix still accepts them with a warning.
// - `unknown-package` (warning): `pkgs.<name>` where the nixpkgs index lists no such attribute.
//   The index holds the derivations `nix-env -qa` lists, not every attribute of `pkgs`: builders
//   and fetchers (`fetchFromGitHub`), aliases (`openssl` for `openssl_3`), sets it does not
//   recurse into. So a name is reported only when it looks like a typo of a listed name (a
//   suggestion exists, starting with the name's first or second letter), is not a prefix of a
//   listed name (`cmake` of `cmakeMinimal`), does not differ from one only in version digits
//   (`python3Packages`), and is not a well-known unlisted attribute; and only in sets the index
//   lists.
// Nothing is reported for a source whose index is still loading or not loaded at all.
import packageSetAttributes from './packageSetAttributes.json';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { knowledgeSites, type OptionSite, type PackageReference } from '../analysis/knowledgeSites';
import type { OptionTree } from '../analysis/modules';
import { formatAttrName } from '../analysis/names';
import { nearestName } from '../analysis/nearestNames';
import type { SyntaxNode } from '../analysis/syntaxTree';
import type { KnowledgeQueries, OptionScope } from './knowledgeQueries';
import { DIAGNOSTIC_SOURCE } from './local/diagnostics';
import { rangeOf } from './local/textEdits';

export const KnowledgeDiagnosticCode = {
  unknownOption: 'unknown-option',
  unknownPackage: 'unknown-package',
} as const;

export type KnowledgeDiagnosticCode = (typeof KnowledgeDiagnosticCode)[keyof typeof KnowledgeDiagnosticCode];

/** What an unknown-name diagnostic carries for its quick fix. */
export interface UnknownNameData {
  /** The unknown name. */
  name: string;
  /** The closest known name. */
  suggestion: string;
  /** The text that replaces the diagnostic's range (the suggestion, quoted when it must be). */
  replacement: string;
}

export interface KnowledgeDiagnosticsOptions {
  /** Set when another file imports this one as a module of that kind. */
  module?: { tree: OptionTree };
  /** The document's path (`home.nix` hints at Home Manager); the URI is used when absent. */
  fileName?: string;
  /** Report unknown option names. Default true. */
  options?: boolean;
  /** Report unknown nixpkgs attribute names. Default true. */
  packages?: boolean;
}

/** More children than any option set or nixpkgs set has: suggestions need all of them. */
const ALL_CHILDREN = 1_000_000;

const SCOPE_LABELS: Record<OptionScope, string> = { nixos: 'NixOS', 'home-manager': 'Home Manager', 'flake-parts': 'flake-parts' };

export function knowledgeDiagnostics(
  analysis: Analysis,
  uri: string,
  knowledge: KnowledgeQueries,
  options: KnowledgeDiagnosticsOptions = {},
): Diagnostic[] {
  if (analysis.skipped) return [];
  const sites = knowledgeSites(analysis, { module: options.module, fileName: options.fileName ?? uri });
  const diagnostics: Diagnostic[] = [];
  if (options.options !== false && sites.options.length) {
    diagnostics.push(...new OptionChecker(analysis, knowledge, sites.declaredOptions).check(sites.options));
  }
  if (options.packages !== false && sites.packages.length) {
    diagnostics.push(...new PackageChecker(analysis, knowledge).check(sites.packages));
  }
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** Quick fixes replacing each unknown name with its suggestion, from the diagnostics' `data`. */
export function knowledgeQuickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== KnowledgeDiagnosticCode.unknownOption && diagnostic.code !== KnowledgeDiagnosticCode.unknownPackage) continue;
    const data = diagnostic.data as Partial<UnknownNameData> | undefined;
    if (typeof data?.replacement !== 'string' || typeof data.suggestion !== 'string') continue;
    actions.push({
      title: `Change to '${data.suggestion}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [uri]: [{ range: diagnostic.range, newText: data.replacement }] } },
    });
  }
  return actions;
}

function unknownName(analysis: Analysis, node: SyntaxNode, code: KnowledgeDiagnosticCode, what: string, name: string, suggestion: string): Diagnostic {
  const data: UnknownNameData = { name, suggestion, replacement: formatAttrName(suggestion) };
  return {
    range: rangeOf(analysis, node),
    severity: DiagnosticSeverity.Warning,
    code,
    source: DIAGNOSTIC_SOURCE,
    message: `${what}. Did you mean '${suggestion}'?`,
    data,
  };
}

/** A path as Nix code writes it, with list elements shown as the indexes show them (`*`). */
function displayPath(path: readonly string[]): string {
  return path.map((part) => (part === '*' ? part : formatAttrName(part))).join('.');
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (prefix[i] !== path[i] && prefix[i] !== '<name>' && path[i] !== '<name>') return false;
  }
  return true;
}

const KEY_SEPARATOR = '\u0000';

/**
 * The options a file declares, for "is this path one of ours": a path is when it lies inside a
 * declared option or leads to one. Sets make that a few lookups per path in a file declaring
 * thousands; declarations with computed parts (`<name>`) are compared one by one.
 */
class DeclaredOptions {
  private readonly exact = new Set<string>();
  private readonly leadingTo = new Set<string>();
  private readonly computed: (readonly string[])[] = [];

  constructor(declared: readonly (readonly string[])[]) {
    for (const path of declared) {
      if (path.includes('<name>')) {
        this.computed.push(path);
        continue;
      }
      this.exact.add(path.join(KEY_SEPARATOR));
      for (let i = 1; i < path.length; i++) this.leadingTo.add(path.slice(0, i).join(KEY_SEPARATOR));
    }
  }

  covers(path: readonly string[]): boolean {
    if (this.leadingTo.has(path.join(KEY_SEPARATOR))) return true;
    let key = '';
    for (let i = 0; i < path.length; i++) {
      key = i === 0 ? path[0]! : key + KEY_SEPARATOR + path[i];
      if (this.exact.has(key)) return true;
    }
    return this.computed.some((d) => startsWith(path, d) || startsWith(d, path));
  }
}

type Verdict = 'known' | 'stop';

class OptionChecker {
  private readonly verdicts = new Map<OptionSite, Verdict>();
  private readonly classes = new Map<string, ReturnType<KnowledgeQueries['classifyOption']>>();
  private readonly children = new Map<string, string[]>();
  private readonly usable = new Map<OptionScope, boolean>();
  private readonly deferredModules = new Map<string, boolean>();
  private readonly declared: DeclaredOptions;

  constructor(
    private readonly analysis: Analysis,
    private readonly knowledge: KnowledgeQueries,
    declared: readonly (readonly string[])[],
  ) {
    this.declared = new DeclaredOptions(declared);
  }

  check(sites: readonly OptionSite[]): Diagnostic[] {
    const found: Diagnostic[] = [];
    // Enclosing bindings come first, so a site's parent always has its verdict already.
    for (const site of sites) {
      const parentVerdict = site.parent ? this.verdicts.get(site.parent) : 'known';
      if (parentVerdict !== 'known' || !this.indexReady(site.tree)) {
        this.verdicts.set(site, 'stop');
        continue;
      }
      const { verdict, diagnostic } = this.checkSite(site);
      this.verdicts.set(site, verdict);
      if (diagnostic) found.push(diagnostic);
    }
    return found;
  }

  /** Whether the scope's index is loaded (not loading, and answering). */
  private indexReady(scope: OptionScope): boolean {
    let ready = this.usable.get(scope);
    if (ready === undefined) {
      ready = !this.knowledge.isLoading(scope) && this.knowledge.classifyOption(scope, []) !== undefined;
      this.usable.set(scope, ready);
    }
    return ready;
  }

  private checkSite(site: OptionSite): { verdict: Verdict; diagnostic?: Diagnostic } {
    const scope = site.tree;
    const staticCount = site.names.findIndex((n) => n.name === undefined);
    const ownNames = (staticCount < 0 ? site.names : site.names.slice(0, staticCount)).map((n) => n.name!);
    const path = [...site.prefix, ...ownNames];
    // After a computed name nothing below is known; the static part before it is still checked.
    const end: Verdict = staticCount < 0 ? 'known' : 'stop';
    if (path.length === 0) return { verdict: end };
    // The channel's NixOS options know nothing of Home Manager's; an evaluated configuration does.
    if (scope === 'nixos' && path[0] === 'home-manager' && this.classify(scope, ['home-manager'])?.kind !== 'prefix') return { verdict: 'stop' };
    if (this.declared.covers(path)) return { verdict: 'stop' };

    const whole = this.classify(scope, path)?.kind;
    if (whole === undefined) return { verdict: 'stop' };
    if (whole === 'option' || whole === 'prefix') return { verdict: end };
    // Unknown already above this binding (reached without an enclosing site): not this one's name.
    const above = site.prefix.length ? this.classify(scope, site.prefix)?.kind : 'prefix';
    if (above !== 'prefix' && above !== 'option') return { verdict: 'stop' };

    // The first name no option matches (the prefix was checked with the parent).
    for (let i = site.prefix.length; i < path.length; i++) {
      const partial = path.slice(0, i + 1);
      const kind = this.classify(scope, partial)?.kind;
      if (kind === 'option' || kind === 'prefix') continue;
      // Below an option itself (`boot.kernel.sysctl`, a freeform `settings`) names are the option
      // type's business; below the sub-options of a submodule (`virtualHosts.<name>`, a list's
      // `*`) or of a deferred module (flake-parts' `perSystem`) a name none of them matches is as
      // unknown as any other.
      if (kind === 'inside-option' && this.classify(scope, path.slice(0, i))?.kind !== 'prefix' && !this.isDeferredModule(scope, path.slice(0, i))) return { verdict: 'stop' };
      const name = path[i]!;
      const suggestion = nearestName(name, this.siblings(scope, path.slice(0, i)));
      if (suggestion === undefined) return { verdict: 'stop' };
      const node = site.names[i - site.prefix.length]!.node;
      const message = `Unknown ${SCOPE_LABELS[scope]} option '${displayPath(partial)}'`;
      return { verdict: 'stop', diagnostic: unknownName(this.analysis, node, KnowledgeDiagnosticCode.unknownOption, message, name, suggestion) };
    }
    return { verdict: 'stop' };
  }

  /**
   * Whether the option at `path` takes a module (type `module`, as flake-parts' `perSystem`): its
   * sub-options are all it has, unlike a submodule that may be freeform.
   */
  private isDeferredModule(scope: OptionScope, path: readonly string[]): boolean {
    const key = `${scope}${KEY_SEPARATOR}${path.join(KEY_SEPARATOR)}`;
    let deferred = this.deferredModules.get(key);
    if (deferred === undefined) {
      deferred = this.knowledge.lookupOption(scope, path)?.type === 'module';
      this.deferredModules.set(key, deferred);
    }
    return deferred;
  }

  private classify(scope: OptionScope, path: readonly string[]) {
    const key = `${scope}${KEY_SEPARATOR}${path.join(KEY_SEPARATOR)}`;
    if (!this.classes.has(key)) this.classes.set(key, this.knowledge.classifyOption(scope, path));
    return this.classes.get(key);
  }

  /** The literal option names below `parent` (placeholders like `<name>` are not suggestions). */
  private siblings(scope: OptionScope, parent: readonly string[]): string[] {
    const key = `${scope}${KEY_SEPARATOR}${parent.join(KEY_SEPARATOR)}`;
    let names = this.children.get(key);
    if (!names) {
      names = this.knowledge
        .optionChildren(scope, parent, { prefix: '', limit: ALL_CHILDREN })
        .items.filter((child) => !child.placeholder)
        .map((child) => child.name);
      this.children.set(key, names);
    }
    return names;
  }
}

/**
 * Well-known top-level attributes of nixpkgs that `nix-env -qa` does not list: the library, the
 * package-set machinery, builders, fetchers and trivial builders, and much-used package sets it
 * does not recurse into. Not complete; the other rules keep the rest from being reported. What
 * nixpkgs' stages add around its packages is read from nixpkgs itself (`packageSetAttributes.json`).
 */
const UNLISTED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'lib', 'stdenv', 'stdenvNoCC', 'pkgs', 'buildPackages', 'pkgsBuildBuild', 'pkgsBuildHost', 'pkgsBuildTarget', 'pkgsHostHost',
  'pkgsHostTarget', 'pkgsTargetTarget', 'pkgsCross', 'pkgsStatic', 'pkgsMusl', 'pkgsi686Linux', 'pkgsLLVM', 'targetPackages',
  'callPackage', 'callPackages', 'newScope', 'recurseIntoAttrs', 'config', 'overlays', 'path', 'system', 'hostPlatform',
  'buildPlatform', 'targetPlatform', 'stdenvAdapters', 'makeOverridable', 'overrideCC', 'extend', 'appendOverlays', 'applyPatches',
  'fetchurl', 'fetchzip', 'fetchgit', 'fetchFromGitHub', 'fetchFromGitLab', 'fetchFromGitea', 'fetchFromCodeberg', 'fetchFromSourcehut',
  'fetchFromBitbucket', 'fetchFromSavannah', 'fetchFromRepoOrCz', 'fetchpatch', 'fetchpatch2', 'fetchPypi', 'fetchCrate', 'fetchsvn',
  'fetchhg', 'fetchtarball', 'fetchNpmDeps', 'fetchYarnDeps', 'fetchMavenArtifact', 'fetchDebianPatch', 'requireFile',
  'runCommand', 'runCommandLocal', 'runCommandCC', 'runCommandNoCC', 'writeText', 'writeTextFile', 'writeTextDir', 'writeScript',
  'writeScriptBin', 'writeShellScript', 'writeShellScriptBin', 'writeShellApplication', 'writeCBin', 'writeClosure', 'writeReferencesToFile',
  'writeDirectReferencesToFile', 'writers', 'symlinkJoin', 'linkFarm', 'linkFarmFromDrvs', 'buildEnv', 'mkShell', 'mkShellNoCC',
  'makeWrapper', 'makeBinaryWrapper', 'wrapGAppsHook', 'wrapGAppsHook3', 'wrapGAppsHook4', 'autoPatchelfHook', 'makeDesktopItem',
  'copyDesktopItems', 'installShellFiles', 'substitute', 'substituteAll', 'substituteAllFiles', 'replaceVars', 'concatText', 'testers',
  'tests', 'nixosTests', 'formats', 'dockerTools', 'ociTools', 'nix-gitignore', 'nix-prefetch-scripts', 'appimageTools',
  'buildFHSEnv', 'buildGoModule', 'buildGoPackage', 'buildRustPackage', 'rustPlatform', 'buildNpmPackage', 'buildDotnetModule',
  'buildPythonApplication', 'buildPythonPackage', 'buildMavenPackage', 'buildLinux', 'linuxKernel', 'linuxPackages',
  'linuxPackages_latest', 'xorg', 'haskellPackages', 'haskell', 'rPackages', 'nodePackages', 'perlPackages', 'luaPackages',
  'ocamlPackages', 'beamPackages', 'darwin', 'windows', 'makeFontsConf', 'makeSetupHook', 'srcOnly', 'closureInfo', 'emptyFile',
  'emptyDirectory', 'mkDerivation', 'openjdk',
]);

/** Not packages at the top level: the stages of pkgs/top-level/stage.nix, and the above. */
const TOP_LEVEL_NON_PACKAGES: ReadonlySet<string> = new Set([...UNLISTED_ATTRIBUTES, ...packageSetAttributes.topLevel, ...packageSetAttributes.anySet]);
/** Not packages in any package set: what `makeScope`, `makeOverridable` and `makeExtensible` add. */
const SET_MACHINERY: ReadonlySet<string> = new Set(packageSetAttributes.anySet);

class PackageChecker {
  private readonly sets = new Map<string, boolean>();
  private readonly children = new Map<string, string[]>();

  constructor(
    private readonly analysis: Analysis,
    private readonly knowledge: KnowledgeQueries,
  ) {}

  check(references: readonly PackageReference[]): Diagnostic[] {
    if (this.knowledge.isLoading('nixpkgs')) return [];
    // No index at all (off or failed): every name would look unknown.
    if (this.knowledge.packageChildren([], { limit: 1 }).items.length === 0) return [];
    const found: Diagnostic[] = [];
    for (const reference of references) {
      const diagnostic = this.checkReference(reference);
      if (diagnostic) found.push(diagnostic);
    }
    return found;
  }

  private checkReference({ parent, name, node }: PackageReference): Diagnostic | undefined {
    if ((parent.length === 0 ? TOP_LEVEL_NON_PACKAGES : SET_MACHINERY).has(name)) return undefined;
    if (!this.isListedSet(parent)) return undefined;
    // One call answers both "listed" and "a prefix of a listed name" (`cmake` of `cmakeMinimal`).
    if (this.named(parent, name, 1).length > 0) return undefined;
    if (this.differsOnlyInVersion(parent, name)) return undefined;
    const suggestion = nearestName(name, this.candidates(parent, name));
    if (suggestion === undefined) return undefined;
    const what = `Unknown nixpkgs package '${displayPath([...parent, name])}'`;
    return unknownName(this.analysis, node, KnowledgeDiagnosticCode.unknownPackage, what, name, suggestion);
  }

  /** Whether the index lists `path` as a set of packages (the top level always is one). */
  private isListedSet(path: readonly string[]): boolean {
    if (path.length === 0) return true;
    const key = path.join(KEY_SEPARATOR);
    let listed = this.sets.get(key);
    if (listed === undefined) {
      const last = path[path.length - 1]!;
      const first = this.knowledge.packageChildren(path.slice(0, -1), { prefix: last, limit: 1 }).items[0];
      listed = first?.name === last && first.kind === 'set';
      this.sets.set(key, listed);
    }
    return listed;
  }

  /** Names below `parent` starting with `prefix`, in code-unit order. */
  private named(parent: readonly string[], prefix: string, limit = ALL_CHILDREN): string[] {
    const key = `${parent.join(KEY_SEPARATOR)}${KEY_SEPARATOR}${KEY_SEPARATOR}${prefix}${KEY_SEPARATOR}${limit}`;
    let names = this.children.get(key);
    if (!names) {
      names = this.knowledge.packageChildren(parent, { prefix, limit }).items.map((child) => child.name);
      this.children.set(key, names);
    }
    return names;
  }

  /**
   * `python3Packages` for `python313Packages`, `linuxPackages_latest` for `linuxPackages_6_12`:
   * aliases that differ from a listed name only in version digits and separators.
   */
  private differsOnlyInVersion(parent: readonly string[], name: string): boolean {
    const stem = /^[^0-9_.-]*/.exec(name)![0];
    if (stem === name || stem === '') return false;
    const wanted = versionless(name);
    return this.named(parent, stem).some((candidate) => versionless(candidate) === wanted);
  }

  /**
   * Names a typo of `name` may stand for. Package sets are large (the top level has tens of
   * thousands), so only names starting with the first or the second letter are compared: that
   * finds swapped, missing, doubled and wrong letters anywhere but in the first place.
   */
  private candidates(parent: readonly string[], name: string): string[] {
    const first = this.named(parent, name[0]!);
    if (name.length < 2 || name[1] === name[0]) return first;
    return [...first, ...this.named(parent, name[1]!)];
  }
}

/** A name without version digits and separators: `python313Packages` and `python3Packages` agree. */
function versionless(name: string): string {
  return name.replace(/[0-9_.-]/g, '');
}
