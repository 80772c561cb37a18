// Hover: what the word under the cursor is — a package with its meta, an option with its type,
// default and description, a NUR repository, a builtin with its signature.
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { builtinLookup, builtinSignature, type BuiltinInfo, type BuiltinsTable } from '../analysis/builtins';
import type { CursorContext } from '../analysis/context';
import type { CompletionData } from './completion';
import { inputModuleAt, inputModuleMarkdown, type InputModulesLookup } from './flake/inputModules';
import { nurPackageMarkdown, nurRepoMarkdown } from './docs/nurDoc';
import { optionMarkdown, type OptionDocOptions } from './docs/optionDoc';
import { optionGroupMarkdown } from './docs/optionGroupDoc';
import { packageMarkdown } from './docs/packageDoc';
import type { KnowledgeQueries, OptionScope } from './knowledgeQueries';
import { libMarkdown } from './libDoc';

export interface HoverSources {
  knowledge: KnowledgeQueries | undefined;
  builtins: BuiltinsTable;
  inputModules?: InputModulesLookup;
  /** The line declaring an evaluated option in a file its declarations name, when it can be read. */
  declarationLine?: OptionDocOptions['declarationLine'];
}

export function hoverFor(context: CursorContext, sources: HoverSources): Hover | null {
  if (context.kind === 'none') return null;
  const markdown = hoverMarkdown(context, sources);
  return markdown ? { contents: { kind: 'markdown', value: markdown }, range: context.replaceRange } : null;
}

function hoverMarkdown(context: Exclude<CursorContext, { kind: 'none' }>, sources: HoverSources): string | undefined {
  const { knowledge } = sources;
  switch (context.kind) {
    case 'packages':
      return knowledge && packagePathMarkdown(context.hoverPath, knowledge);
    case 'option':
      return knowledge && optionPathMarkdown(context.tree, context.hoverPath, knowledge, sources.declarationLine);
    case 'builtins': {
      const info = builtinLookup(sources.builtins).attribute(context.hoverPath.at(-1) ?? context.word);
      return info && builtinMarkdown(info, sources.builtins);
    }
    case 'lib': {
      const info = knowledge?.lookupLib(context.hoverPath);
      return info && libMarkdown(info, { revision: knowledge?.nixpkgsRevision() });
    }
    case 'nurRepoOutputs': {
      const found = inputModuleAt(context, sources.inputModules);
      return found && inputModuleMarkdown(found.input, found.module);
    }
    case 'variable': {
      if (context.target?.kind === 'builtin' && context.target.builtin) return builtinMarkdown(context.target.builtin, sources.builtins);
      if (context.target?.kind === 'local') return `\`${context.target.name}\` — ${context.target.definitionKind}`;
      if (context.target?.kind === 'with') return `\`${context.target.name}\` — may come from an enclosing \`with\``;
      return undefined;
    }
    default:
      return undefined;
  }
}

function packagePathMarkdown(path: string[], knowledge: KnowledgeQueries, options: { versionInTitle?: boolean } = {}): string | undefined {
  if (path[0] === 'nur' && path[1] === 'repos') {
    if (path.length === 3) {
      const repo = knowledge.lookupNurRepo(path[2]);
      return repo && nurRepoMarkdown(repo);
    }
    const info = knowledge.lookupPackage(path);
    return info && nurPackageMarkdown(info, options);
  }
  const info = knowledge.lookupPackage(path);
  if (info) return packageMarkdown(info, { revision: knowledge.nixpkgsRevision(), ...options });
  const members = knowledge.packageChildren(path, { limit: 1 });
  return members.items.length > 0 ? `**${path.join('.')}** — a package set` : undefined;
}

function optionPathMarkdown(scope: OptionScope, path: string[], knowledge: KnowledgeQueries, declarationLine?: OptionDocOptions['declarationLine']): string | undefined {
  const option = knowledge.lookupOption(scope, path);
  // Not an option itself: a group of options, or an entry named in a set of submodules.
  if (!option) return optionGroupMarkdown(scope, path, knowledge);
  return optionMarkdown(option, { scope, revision: knowledge.nixpkgsRevision(), declarationLine });
}

/**
 * The signature, and the documentation the installed Nix gives. The table committed with the
 * server holds names and arguments only, so without Nix the hover says where the text comes from.
 */
function builtinMarkdown(info: BuiltinInfo, table: BuiltinsTable): string {
  const signature = '```nix\n' + `builtins.${builtinSignature(info)}` + '\n```';
  if (info.doc) return `${signature}\n\n${info.doc}`;
  if (table.fromInstalledNix) return signature;
  return `${signature}\n\n${BUILTIN_DOCS_SOURCE}`;
}

export const BUILTIN_DOCS_SOURCE =
  "_The documentation of builtins comes from the installed Nix (`nix __dump-builtins`), which has not been found: install Nix, or set `nixNur.nix.binDir` to the directory holding `nix`._";

/** Documentation for a completion item, added on completionItem/resolve. */
/**
 * Documentation of a completion item. `detailShown`: the editor shows the item's detail (a
 * package's version) above it, so the documentation need not repeat it; a page of its own (a
 * search result) does not.
 */
export function completionDocumentation(data: CompletionData, sources: HoverSources, { detailShown = true } = {}): MarkupContent | undefined {
  const { knowledge } = sources;
  let value: string | undefined;
  switch (data.kind) {
    case 'package':
      value = knowledge && packagePathMarkdown(data.path, knowledge, { versionInTitle: !detailShown });
      break;
    case 'option':
      value = knowledge && optionPathMarkdown(data.scope, data.path, knowledge, sources.declarationLine);
      break;
    case 'nurRepo': {
      const repo = knowledge?.lookupNurRepo(data.name);
      value = repo && nurRepoMarkdown(repo);
      break;
    }
    case 'builtin': {
      const info = builtinLookup(sources.builtins).attribute(data.name);
      value = info && builtinMarkdown(info, sources.builtins);
      break;
    }
    case 'lib': {
      const info = knowledge?.lookupLib(data.path);
      value = info && libMarkdown(info, { revision: knowledge?.nixpkgsRevision() });
      break;
    }
  }
  return value ? { kind: 'markdown', value } : undefined;
}
