// Completion in flake.nix: input URLs (well-known flakes and every NUR repository), `follows`
// targets, the inputs in the outputs' parameters, input keys, output names and systems.
import type { Parser } from 'web-tree-sitter';
import { CompletionItemKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver-types';
import { resolveInputPath, type FlakeLockStatus } from '../../flake/flakeLock';
import { readFlakeSyntax, type FlakeSyntax } from '../../flake/flakeSyntax';
import { flakeCursorContext, type CursorSource } from './flakeCursor';
import { inputAttributeCompletions } from './inputAttributeCompletion';
import { knownFlakes, nurRepoFlakeUrl, type NurRepo } from './knownFlakes';

export interface FlakeCompletionParams {
  /** The open flake.nix (a `NixDocument` fits). */
  readonly document: CursorSource;
  readonly position: Position;
  /** Lets keys be completed in code that does not parse yet; without it only strings and parameters are. */
  readonly parser?: Parser;
  /** Precomputed syntax of the document, if the caller has it. */
  readonly syntax?: FlakeSyntax;
  readonly lock?: FlakeLockStatus;
  /** NUR's repositories (from the knowledge layer's index of repos.json). */
  readonly nurRepos?: () => readonly NurRepo[];
  /** Decides which NixOS release branches are current. */
  readonly now: Date;
}

/** Output attributes a flake may have, with what each holds. */
export const FLAKE_OUTPUTS: readonly (readonly [name: string, description: string])[] = [
  ['packages', 'packages.<system>.<name>: derivations for `nix build`'],
  ['legacyPackages', 'legacyPackages.<system>: a nested package set (as nixpkgs exposes itself)'],
  ['devShells', 'devShells.<system>.<name>: environments for `nix develop`'],
  ['apps', 'apps.<system>.<name>: `{ type = "app"; program = …; }` for `nix run`'],
  ['checks', 'checks.<system>.<name>: derivations built by `nix flake check`'],
  ['formatter', 'formatter.<system>: the package `nix fmt` runs'],
  ['overlays', 'overlays.<name>: `final: prev: { … }` functions for nixpkgs'],
  ['nixosModules', 'nixosModules.<name>: NixOS modules'],
  ['nixosConfigurations', 'nixosConfigurations.<host>: systems for `nixos-rebuild --flake`'],
  ['homeConfigurations', 'homeConfigurations.<user>: Home Manager configurations'],
  ['homeModules', 'homeModules.<name>: Home Manager modules'],
  ['darwinConfigurations', 'darwinConfigurations.<host>: nix-darwin systems'],
  ['darwinModules', 'darwinModules.<name>: nix-darwin modules'],
  ['templates', 'templates.<name>: `{ path; description; }` for `nix flake init -t`'],
  ['lib', 'lib: Nix functions for other flakes to use'],
  ['hydraJobs', 'hydraJobs.<attr>.<system>: jobs for Hydra'],
  ['flakeModules', 'flakeModules.<name>: flake-parts modules'],
];

export const SYSTEMS: readonly (readonly [system: string, description: string])[] = [
  ['x86_64-linux', 'Linux on 64-bit Intel/AMD'],
  ['aarch64-linux', 'Linux on 64-bit ARM'],
  ['x86_64-darwin', 'macOS on Intel'],
  ['aarch64-darwin', 'macOS on Apple silicon'],
  ['i686-linux', 'Linux on 32-bit Intel'],
  ['armv7l-linux', 'Linux on 32-bit ARM (hard float)'],
  ['riscv64-linux', 'Linux on 64-bit RISC-V'],
];

const FLAKE_KEYS: readonly (readonly [key: string, description: string])[] = [
  ['description', 'A one-line description of the flake'],
  ['inputs', 'The flakes and sources this flake depends on'],
  ['outputs', 'A function from the inputs to what this flake provides'],
  ['nixConfig', 'Nix settings this flake asks for (substituters, …); users are asked before they apply'],
];

const INPUT_KEYS: readonly (readonly [key: string, description: string])[] = [
  ['url', 'Where the input comes from (a flake reference)'],
  ['follows', 'Use another input instead of fetching this one'],
  ['flake', '`flake = false;`: a plain source tree, not a flake'],
  ['inputs', "Override this input's own inputs (`inputs.<name>.follows`)"],
  ['type', 'Attribute form: github, gitlab, sourcehut, git, path, tarball, file, indirect'],
  ['owner', 'Attribute form: repository owner (forges)'],
  ['repo', 'Attribute form: repository name (forges)'],
  ['ref', 'Attribute form: branch or tag'],
  ['rev', 'Attribute form: commit hash'],
  ['dir', 'Attribute form: subdirectory that holds flake.nix'],
];

/** Completions for a flake.nix, or undefined when the cursor is on nothing flake-specific. */
export function flakeCompletions(params: FlakeCompletionParams): CompletionItem[] | undefined {
  const context = flakeCursorContext(params.document, params.position, params.parser);
  const syntax = params.syntax ?? readFlakeSyntax(params.document.tree.rootNode);
  if (!context) return inputAttributeCompletions(params.document.content, params.position, syntax, params.parser);
  switch (context.kind) {
    case 'input-url':
      return urlCompletions(context.input, context.replace, params);
    case 'follows':
      return followsCompletions(context.input, context.overridePath.length > 0, context.replace, syntax, params.lock);
    case 'outputs-formal':
      return formalCompletions(context.present, context.replace, syntax);
    case 'flake-key':
      return FLAKE_KEYS.map(([key, description], index) => ({
        label: key,
        kind: CompletionItemKind.Property,
        detail: description,
        textEdit: { range: context.replace, newText: key },
        sortText: String(index).padStart(2, '0'),
      }));
    case 'input-key':
      return INPUT_KEYS.map(([key, description], index) => ({
        label: key,
        kind: CompletionItemKind.Property,
        detail: description,
        textEdit: { range: context.replace, newText: key },
        sortText: String(index).padStart(2, '0'),
      }));
    case 'input-name':
      return inputNameCompletions(context.replace, syntax, params.now);
    case 'input-override':
      return overrideCompletions(context.input, context.replace, params.lock);
    case 'output-name':
      return FLAKE_OUTPUTS.map(([name, description], index) => ({
        label: name,
        kind: CompletionItemKind.Module,
        detail: description,
        textEdit: { range: context.replace, newText: name },
        sortText: String(index).padStart(2, '0'),
      }));
    case 'system':
      return SYSTEMS.map(([system, description], index) => ({
        label: system,
        kind: CompletionItemKind.EnumMember,
        detail: description,
        // An unquoted key must be quoted only if it is not a plain identifier; systems always are.
        textEdit: { range: context.replace, newText: system },
        sortText: String(index).padStart(2, '0'),
      }));
  }
}

function urlCompletions(input: string, replace: Range, params: FlakeCompletionParams): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  knownFlakes(params.now).forEach((flake, index) => {
    if (seen.has(flake.url)) return;
    seen.add(flake.url);
    items.push({
      label: flake.url,
      kind: CompletionItemKind.Module,
      detail: flake.description,
      textEdit: { range: replace, newText: flake.url },
      filterText: flake.url,
      // Flakes usually named like this input come first.
      sortText: `${flake.inputName === input ? 0 : 1}-${String(index).padStart(3, '0')}`,
      preselect: flake.inputName === input && index === 0 ? true : undefined,
    });
  });
  for (const repo of params.nurRepos?.() ?? []) {
    const url = nurRepoFlakeUrl(repo);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    items.push({
      label: url,
      kind: CompletionItemKind.Module,
      detail: `NUR repository ${repo.name}`,
      textEdit: { range: replace, newText: url },
      filterText: url,
      sortText: `${repo.name === input ? 0 : 2}-${repo.name.toLowerCase()}`,
    });
  }
  return items;
}

function followsCompletions(input: string, isOverride: boolean, replace: Range, syntax: FlakeSyntax, lock: FlakeLockStatus | undefined): CompletionItem[] {
  const items: CompletionItem[] = [];
  const names = syntax.inputs.filter((decl) => !decl.implicit).map((decl) => decl.name);
  for (const name of names) {
    // `inputs.x.follows = "x"` would follow itself; an override of x's input may follow anything.
    if (!isOverride && name === input) continue;
    items.push({ label: name, kind: CompletionItemKind.Reference, detail: 'input of this flake', textEdit: { range: replace, newText: name }, sortText: `0-${name}` });
  }
  if (lock?.state === 'ok') {
    for (const name of names) {
      if (name === input) continue;
      const resolved = resolveInputPath(lock.lock, [name]);
      for (const sub of resolved?.node.inputs.keys() ?? []) {
        const path = `${name}/${sub}`;
        items.push({ label: path, kind: CompletionItemKind.Reference, detail: `input '${sub}' of '${name}'`, textEdit: { range: replace, newText: path }, sortText: `1-${path}` });
      }
    }
  }
  return items;
}

function formalCompletions(present: readonly string[], replace: Range, syntax: FlakeSyntax): CompletionItem[] {
  const taken = new Set(present);
  const names = ['self', ...syntax.inputs.filter((decl) => !decl.implicit).map((decl) => decl.name)];
  return names
    .filter((name) => !taken.has(name))
    .map((name, index) => ({
      label: name,
      kind: CompletionItemKind.Variable,
      detail: name === 'self' ? 'this flake' : 'input of this flake',
      textEdit: { range: replace, newText: name },
      sortText: String(index).padStart(3, '0'),
    }));
}

/** After `inputs.` at the top level: the inputs declared, then well-known ones not declared yet. */
function inputNameCompletions(replace: Range, syntax: FlakeSyntax, now: Date): CompletionItem[] {
  const declared = syntax.inputs.filter((decl) => !decl.implicit).map((decl) => decl.name);
  const items: CompletionItem[] = declared.map((name) => ({
    label: name,
    kind: CompletionItemKind.Reference,
    detail: 'input of this flake',
    textEdit: { range: replace, newText: name },
    sortText: `0-${name}`,
  }));
  const known = new Set(declared);
  for (const flake of knownFlakes(now)) {
    if (known.has(flake.inputName)) continue;
    known.add(flake.inputName);
    items.push({ label: flake.inputName, kind: CompletionItemKind.Module, detail: `new input: ${flake.description}`, textEdit: { range: replace, newText: flake.inputName }, sortText: `1-${flake.inputName}` });
  }
  return items;
}

function overrideCompletions(input: string, replace: Range, lock: FlakeLockStatus | undefined): CompletionItem[] {
  if (lock?.state !== 'ok') return [];
  const resolved = resolveInputPath(lock.lock, [input]);
  if (!resolved) return [];
  const items: CompletionItem[] = [];
  for (const sub of resolved.node.inputs.keys()) {
    items.push({ label: sub, kind: CompletionItemKind.Reference, detail: `input of '${input}'`, textEdit: { range: replace, newText: sub } });
  }
  return items;
}
