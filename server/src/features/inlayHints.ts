// Inlay hints: short facts written after the code they are about, each kind switchable.
// - The version of a nixpkgs package after its name: `pkgs.ripgrep` ▸ `15.1.0`, also for the names
//   of `with pkgs; [ … ]` and `inherit (pkgs) …;`. Only where the code itself says the set is
//   nixpkgs (as the package diagnostics decide), so no hint ever guesses.
// - The locked revision and age of a flake input after its URL: `"github:NixOS/nixpkgs"` ▸
//   `a1b2c3d · 7 weeks ago`.
// - The type of an option a module sets, after its name: `services.nginx.enable` ▸ `: boolean`.
// Only the requested range is looked at: hints are asked for the visible lines on every scroll.
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { Denoter } from '../analysis/denotation';
import { flakeInputsOf, flakeOutputsFunction } from '../analysis/flakeInputs';
import { knowledgeSites, type OptionSite } from '../analysis/knowledgeSites';
import { lowerBound } from '../analysis/lowerBound';
import type { SyntaxNode } from '../analysis/syntaxTree';
import { lockedLastModified, type FlakeLockStatus } from '../flake/flakeLock';
import type { FlakeSyntax } from '../flake/flakeSyntax';
import { inputLockState } from '../flake/lockedInput';
import { lockedIdentity } from './flake/lockDescription';
import { formatAge } from './flake/relativeTime';
import type { KnowledgeQueries } from './knowledgeQueries';

export interface InlayHintKinds {
  packageVersions: boolean;
  flakeInputs: boolean;
  optionTypes: boolean;
}

export interface InlayHintParams {
  analysis: Analysis;
  /** The document's URI or path, for module detection (as diagnostics use it). */
  fileName: string;
  /** Offsets of the range asked for. */
  range: { start: number; end: number };
  kinds: InlayHintKinds;
  knowledge?: KnowledgeQueries;
  /** For a flake.nix: its inputs and lock. */
  flake?: { syntax: FlakeSyntax; lock: FlakeLockStatus; now: Date };
}

/** Longer option types (`attribute set of (submodule)`, enums of many values) are cut here. */
const TYPE_LABEL_LIMIT = 40;

export function inlayHints(params: InlayHintParams): InlayHint[] {
  const hints: InlayHint[] = [];
  const { analysis, kinds, knowledge } = params;
  if (knowledge && !analysis.skipped && (kinds.packageVersions || kinds.optionTypes)) {
    const sites = knowledgeSites(analysis, { fileName: params.fileName });
    if (kinds.packageVersions) hints.push(...packageVersionHints(params, knowledge, sites.packages));
    if (kinds.optionTypes) hints.push(...optionTypeHints(params, knowledge, sites.options));
  }
  if (kinds.flakeInputs && params.flake) hints.push(...flakeInputHints(params.flake, analysis.lines.range(params.range)));
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

function within(node: SyntaxNode, range: { start: number; end: number }): boolean {
  return node.end >= range.start && node.start <= range.end;
}

function packageVersionHints(params: InlayHintParams, knowledge: KnowledgeQueries, references: readonly { parent: readonly string[]; name: string; node: SyntaxNode }[]): InlayHint[] {
  const { analysis, range } = params;
  const named: { path: string[]; node: SyntaxNode }[] = [];
  for (const reference of references) if (within(reference.node, range)) named.push({ path: [...reference.parent, reference.name], node: reference.node });
  named.push(...withPackageNames(analysis, range));
  if (named.length === 0) return [];
  const infos = knowledge.lookupPackages(named.map((n) => n.path));
  const hints: InlayHint[] = [];
  named.forEach(({ node }, i) => {
    const version = infos[i]?.version;
    if (!version) return;
    hints.push({ position: analysis.lines.positionAt(node.end), label: version, kind: InlayHintKind.Type, paddingLeft: true });
  });
  return hints;
}

/** Names in the range that a `with` over nixpkgs provides (`with pkgs; [ hello ]`). */
function withPackageNames(analysis: Analysis, range: { start: number; end: number }): { path: string[]; node: SyntaxNode }[] {
  const found: { path: string[]; node: SyntaxNode }[] = [];
  const uses = analysis.uses;
  // Uses are in document order: start at the first one that may be in range.
  const low = lowerBound(uses.length, (index) => uses[index]!.node.end < range.start);
  let denoter: Denoter | undefined;
  const subjects = new Map<SyntaxNode, string[] | undefined>();
  for (let i = low; i < uses.length && uses[i]!.node.start <= range.end; i++) {
    const use = uses[i]!;
    if (use.resolution.kind !== 'with' || use.inherit) continue;
    const innermost = use.resolution.withs[0]!;
    if (!subjects.has(innermost)) {
      // Strict: only a subject the code says is nixpkgs, as the package diagnostics decide.
      denoter ??= new Denoter({ scopes: analysis.scopes, flakeInputs: flakeInputsOf(analysis.root), outputsFunction: flakeOutputsFunction(analysis.root), strict: true });
      const subject = denoter.denote(innermost.child('environment'));
      subjects.set(innermost, subject?.kind === 'nixpkgs' && subject.path.every((p) => p !== null) ? (subject.path as string[]) : undefined);
    }
    const parent = subjects.get(innermost);
    if (parent) found.push({ path: [...parent, use.name], node: use.node });
  }
  return found;
}

function optionTypeHints(params: InlayHintParams, knowledge: KnowledgeQueries, sites: readonly OptionSite[]): InlayHint[] {
  const { analysis, range } = params;
  const hints: InlayHint[] = [];
  for (const site of sites) {
    const last = site.names[site.names.length - 1];
    if (!last || !within(last.node, range) || site.names.some((n) => n.name === undefined)) continue;
    const option = knowledge.lookupOption(site.tree, [...site.prefix, ...site.names.map((n) => n.name!)]);
    if (!option?.type) continue;
    const type = option.type.length > TYPE_LABEL_LIMIT ? `${option.type.slice(0, TYPE_LABEL_LIMIT - 1)}…` : option.type;
    const hint: InlayHint = { position: analysis.lines.positionAt(last.node.end), label: `: ${type}`, kind: InlayHintKind.Type };
    if (type !== option.type) hint.tooltip = option.type;
    hints.push(hint);
  }
  return hints;
}

function flakeInputHints(flake: NonNullable<InlayHintParams['flake']>, range: Range): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const input of flake.syntax.inputs) {
    const url = input.url;
    if (!url || url.range.end.line < range.start.line || url.range.start.line > range.end.line) continue;
    const state = inputLockState(flake.lock, input.name);
    if (state.state !== 'locked') continue;
    const identity = lockedIdentity(state.node);
    const lastModified = lockedLastModified(state.node);
    const label = [identity, lastModified === undefined ? undefined : formatAge(lastModified, flake.now)].filter((part) => part !== undefined).join(' · ');
    if (label) hints.push({ position: url.range.end, label, kind: InlayHintKind.Type, paddingLeft: true });
  }
  return hints;
}
