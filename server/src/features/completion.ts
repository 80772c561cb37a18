// Completion: what the cursor context asks for (nixpkgs attributes, NixOS and Home Manager
// options, NUR, builtins, local names), answered from the indexes. Lists are bounded and marked
// incomplete where a set is huge; documentation comes on completionItem/resolve.
import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver-types';
import type { BuiltinInfo, BuiltinsTable } from '../analysis/builtins';
import { builtinLookup, builtinSignature } from '../analysis/builtins';
import type { CursorContext } from '../analysis/context';
import { formatAttrName } from '../analysis/names';
import type { InputModulesLookup } from './flake/inputModules';
import type { KnowledgeQueries, OptionScope } from './knowledgeQueries';
import { libSignature } from './libDoc';

/** The most items one answer carries; the client filters, and asks again as the user types. */
export const COMPLETION_LIMIT = 200;

/** Carried on items so completionItem/resolve can add their documentation. */
export type CompletionData =
  | { kind: 'package'; path: string[] }
  | { kind: 'option'; scope: OptionScope; path: string[]; /** The document, whose configurations' options it may be. */ uri?: string }
  | { kind: 'nurRepo'; name: string }
  | { kind: 'builtin'; name: string }
  | { kind: 'lib'; path: string[] };

export interface CompletionSources {
  knowledge: KnowledgeQueries | undefined;
  builtins: BuiltinsTable;
  /** NUR repository name for a flake input URL (`github:owner/repo` → `owner`'s repo), if any. */
  nurRepoForUrl?: (url: string) => string | undefined;
  /** The NixOS modules of the flake input named so in the document's flake, when they can be listed. */
  inputModules?: InputModulesLookup;
}

export function completionsFor(context: CursorContext, sources: CompletionSources): CompletionList | null {
  switch (context.kind) {
    case 'packages':
      return packageCompletions(context.path, context.prefix, context.replaceRange, sources.knowledge, context.locals);
    case 'option':
      return optionCompletions(context.tree, context.path, context.prefix, context.replaceRange, sources.knowledge);
    case 'optionValue':
      return optionValueCompletions(context.tree, context.path, context.prefix, context.replaceRange, sources.knowledge, context.inString);
    case 'builtins':
      return list(builtinItems(sources.builtins, context.prefix, context.replaceRange, 'attribute'), false);
    case 'lib':
      return libCompletions(context.path, context.prefix, context.replaceRange, sources.knowledge);
    case 'nurRepoOutputs': {
      if (context.path.length === 1 && context.path[0] === 'nixosModules') {
        return inputModuleCompletions(sources.inputModules?.(context.input), context.prefix, context.replaceRange);
      }
      const repo = context.inputUrl ? sources.nurRepoForUrl?.(context.inputUrl) : undefined;
      if (!repo) return null;
      return nurRepoOutputCompletions(repo, context.path, context.prefix, context.replaceRange, sources.knowledge);
    }
    case 'localAttrs':
      return list(
        context.candidates
          .filter((attr) => attr.name.startsWith(context.prefix))
          .map((attr) => ({
            label: attr.name,
            kind: attr.isSet ? CompletionItemKind.Module : CompletionItemKind.Field,
            textEdit: { range: context.replaceRange, newText: formatAttrName(attr.name) },
          })),
        false,
      );
    case 'variable': {
      const locals: CompletionItem[] = context.locals
        .filter((local) => local.name.startsWith(context.prefix))
        .map((local) => ({ label: local.name, kind: CompletionItemKind.Variable, detail: local.kind, textEdit: { range: context.replaceRange, newText: local.name } }));
      return list([...locals, ...builtinItems(sources.builtins, context.prefix, context.replaceRange, 'global')], false);
    }
    default:
      return null;
  }
}

function list(items: CompletionItem[], isIncomplete: boolean): CompletionList {
  return { isIncomplete, items };
}

function packageCompletions(
  path: string[],
  prefix: string,
  range: Range,
  knowledge: KnowledgeQueries | undefined,
  locals: { name: string }[] | undefined,
): CompletionList | null {
  if (!knowledge) return null;
  const result = knowledge.packageChildren(path, { prefix, limit: COMPLETION_LIMIT });
  const isRepo = path.length === 2 && path[0] === 'nur' && path[1] === 'repos';
  // The version belongs in the list itself: one record per package, read together.
  const packagePaths = result.items.filter((child) => child.kind === 'package').map((child) => [...path, child.name]);
  const infos = packagePaths.length ? knowledge.lookupPackages(packagePaths) : [];
  let nextInfo = 0;
  const items: CompletionItem[] = result.items.map((child) => {
    const childPath = [...path, child.name];
    const item: CompletionItem = {
      label: child.name,
      kind: child.kind === 'set' ? CompletionItemKind.Module : CompletionItemKind.Value,
      textEdit: { range, newText: formatAttrName(child.name) },
      data: (isRepo ? { kind: 'nurRepo', name: child.name } : { kind: 'package', path: childPath }) satisfies CompletionData,
    };
    if (child.kind === 'package') {
      const info = infos[nextInfo++];
      if (info?.version) item.detail = info.version;
      if (info?.broken || info?.insecure) item.tags = [1];
    } else if (!isRepo) {
      item.detail = 'package set';
    } else {
      item.detail = 'NUR repository';
    }
    return item;
  });
  // Inside `with pkgs; [ … ]`, local names may be meant too.
  for (const local of locals ?? []) {
    if (local.name.startsWith(prefix)) items.push({ label: local.name, kind: CompletionItemKind.Variable, sortText: `~${local.name}`, textEdit: { range, newText: local.name } });
  }
  return list(items, result.incomplete || result.loading);
}

function optionCompletions(
  scope: OptionScope,
  path: string[],
  prefix: string,
  range: Range,
  knowledge: KnowledgeQueries | undefined,
): CompletionList | null {
  if (!knowledge) return null;
  const result = knowledge.optionChildren(scope, path, { prefix, limit: COMPLETION_LIMIT, types: true });
  const items: CompletionItem[] = [];
  for (const child of result.items) {
    const childPath = [...path, child.name];
    if (child.placeholder) {
      // `<name>` stands for a name the user chooses: offer a snippet with a placeholder.
      items.push({
        label: child.name,
        kind: CompletionItemKind.Snippet,
        detail: 'a name of your choice',
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range, newText: `"\${1:${child.name.replace(/[<>*]/g, '') || 'name'}}"` },
        sortText: `~${child.name}`,
      });
      continue;
    }
    // Types come with the children; an option only the workspace declares is looked up.
    const type = child.kind === 'option' ? (child.type ?? knowledge.lookupOption(scope, childPath)?.type) : undefined;
    items.push({
      label: child.name,
      kind: child.kind === 'option' ? CompletionItemKind.Property : CompletionItemKind.Module,
      detail: type ?? (child.kind === 'set' ? 'options' : undefined),
      textEdit: { range, newText: formatAttrName(child.name) },
      data: { kind: 'option', scope, path: childPath } satisfies CompletionData,
    });
  }
  return list(items, result.incomplete || result.loading);
}

function libCompletions(path: string[], prefix: string, range: Range, knowledge: KnowledgeQueries | undefined): CompletionList | null {
  if (!knowledge) return null;
  const result = knowledge.libChildren(path, { prefix, limit: COMPLETION_LIMIT });
  const items = result.items.map((child): CompletionItem => {
    const childPath = [...path, child.name];
    const info = child.kind === 'function' ? knowledge.lookupLib(childPath) : undefined;
    return {
      label: child.name,
      kind: child.kind === 'function' ? CompletionItemKind.Function : child.kind === 'set' ? CompletionItemKind.Module : CompletionItemKind.Constant,
      detail: (info && libSignature(info)) ?? (child.kind === 'set' ? 'attribute set' : undefined),
      tags: info?.throws ? [1] : undefined,
      textEdit: { range, newText: formatAttrName(child.name) },
      data: { kind: 'lib', path: childPath } satisfies CompletionData,
    };
  });
  return list(items, result.incomplete || result.loading);
}

/** Values the option's type allows: booleans, the members of an enum, `null` when nullable. */
function optionValueCompletions(
  scope: OptionScope,
  path: string[],
  prefix: string,
  range: Range,
  knowledge: KnowledgeQueries | undefined,
  inString = false,
): CompletionList | null {
  const type = knowledge?.lookupOption(scope, path)?.type;
  if (!type) return null;
  if (inString) {
    // Inside the quotes: the enum's members, written without the quotes already there.
    const members = [...(/one of (.*)$/.exec(type)?.[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
    return list(
      members.filter((m) => m.startsWith(prefix)).map((m) => ({ label: m, kind: CompletionItemKind.EnumMember, detail: type, textEdit: { range, newText: m } })),
      false,
    );
  }
  const values: { text: string; kind: CompletionItemKind }[] = [];
  if (/\bboolean\b/.test(type)) values.push({ text: 'true', kind: CompletionItemKind.Keyword }, { text: 'false', kind: CompletionItemKind.Keyword });
  const members = /one of (.*)$/.exec(type)?.[1];
  if (members) for (const member of members.matchAll(/"((?:[^"\\]|\\.)*)"/g)) values.push({ text: `"${member[1]}"`, kind: CompletionItemKind.EnumMember });
  if (/^null or /.test(type)) values.push({ text: 'null', kind: CompletionItemKind.Keyword });
  if (/\bpackage\b/.test(type) && !members) values.push({ text: 'pkgs.', kind: CompletionItemKind.Module });
  return list(
    values
      .filter((value) => value.text.startsWith(prefix) || value.text.startsWith(`"${prefix}`))
      .map((value) => ({ label: value.text, kind: value.kind, detail: type, textEdit: { range, newText: value.text } })),
    false,
  );
}

/** A flake input that is a NUR repository: its packages under `packages.<system>` / `legacyPackages.<system>`. */
function nurRepoOutputCompletions(repo: string, path: string[], prefix: string, range: Range, knowledge: KnowledgeQueries | undefined): CompletionList | null {
  if (path.length === 0) {
    const outputs = ['packages', 'legacyPackages', 'nixosModules', 'overlays', 'lib'];
    return list(
      outputs.filter((o) => o.startsWith(prefix)).map((o) => ({ label: o, kind: CompletionItemKind.Module, textEdit: { range, newText: o } })),
      false,
    );
  }
  if ((path[0] === 'packages' || path[0] === 'legacyPackages') && path.length === 2) {
    return packageCompletions(['nur', 'repos', repo], prefix, range, knowledge, undefined);
  }
  return null;
}

/** `inputs.<input>.nixosModules.<name>`: the modules the input's flake provides. */
function inputModuleCompletions(listing: ReturnType<InputModulesLookup>, prefix: string, range: Range): CompletionList | null {
  if (!listing || listing.state === 'failed') return null;
  // Still being listed: an empty, incomplete answer makes the editor ask again as the user types.
  if (listing.state === 'loading') return list([], true);
  return list(
    listing.modules
      .filter((module) => module.name.startsWith(prefix))
      .map((module) => ({
        label: module.name,
        kind: CompletionItemKind.Module,
        detail: 'NixOS module',
        documentation: module.file ?? module.position?.file,
        textEdit: { range, newText: formatAttrName(module.name) },
      })),
    false,
  );
}

function builtinItems(table: BuiltinsTable, prefix: string, range: Range, as: 'global' | 'attribute'): CompletionItem[] {
  const lookup = builtinLookup(table);
  const items: CompletionItem[] = [];
  if (as === 'global') {
    for (const [name, info] of lookup.globals) {
      if (!name.startsWith(prefix) || (name.startsWith('__') && !prefix.startsWith('__'))) continue;
      items.push(builtinItem(name, info, range));
    }
  } else {
    for (const info of Object.values(table.builtins)) if (info.name.startsWith(prefix)) items.push(builtinItem(info.name, info, range));
  }
  return items;
}

function builtinItem(name: string, info: BuiltinInfo | undefined, range: Range): CompletionItem {
  return {
    label: name,
    kind: info?.kind === 'function' ? CompletionItemKind.Function : CompletionItemKind.Constant,
    detail: info ? builtinSignature(info) : undefined,
    textEdit: { range, newText: name },
    data: info ? ({ kind: 'builtin', name: info.name } satisfies CompletionData) : undefined,
    sortText: `~${name}`,
  };
}
