// References and rename for option paths across the workspace's files. The cursor is on a name of
// an option path (`enable` in `options.my.backup.enable = mkEnableOption …`, in
// `my.backup.enable = true;` or in `config.my.backup.enable`); its references are every place any
// indexed file writes that same name of that same path (a submodule's `<name>` matching any name).
//
// Rename changes what a module sets, so it is only done where the whole renamed path belongs to
// the workspace: the name is a declared option of the workspace (renamed in its declaration and
// every use), or a prefix under which only the workspace declares options (`my` of `my.backup.*`,
// when the option indexes know no `my`). Anything else (`nginx` of `services.nginx.enable`) is
// refused: renaming it would silently set another option.
import type { Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { FileDeclarations, OptionName } from '../analysis/fileDeclarations';
import { rangeContains } from '../flake/flakeSyntax';
import { formatAttrName } from '../analysis/names';
import { isPlaceholder, type DeclaredOptionTree } from '../workspace/declaredOptionTree';
import type { IndexedFile } from '../workspace/workspaceIndex';
import type { KnowledgeQueries, OptionScope } from './knowledgeQueries';

export interface OptionNameIndex {
  readonly options: DeclaredOptionTree;
  /** Every written option-path name ending with `last`, with its file. */
  optionNamesEnding(last: string): Iterable<{ uri: string; name: OptionName }>;
  all(): Iterable<IndexedFile>;
}

/** What the cursor is on, as far as option paths go. */
export type OptionNameTarget = { name: OptionName; pattern: string[] };

export type OptionRenameResult =
  /** Not an option-path name: the local rename decides. */
  | { kind: 'none' }
  | { kind: 'refused'; error: string }
  | { kind: 'rename'; range: Range; placeholder: string; edit?: WorkspaceEdit };

const SCOPES: OptionScope[] = ['nixos', 'home-manager'];

/** The option-path name written at `position`, if any. */
export function optionNameAt(declarations: FileDeclarations, position: Position): OptionName | undefined {
  return declarations.optionNames.find((name) => rangeContains(name.range, position.line, position.character));
}

/** Whether a written path stands for the declared pattern: same length, placeholders match any name. */
function matches(path: readonly string[], pattern: readonly string[]): boolean {
  if (path.length !== pattern.length) return false;
  for (let i = 0; i < path.length; i++) if (path[i] !== pattern[i] && !isPlaceholder(pattern[i]!) && path[i] !== '<name>') return false;
  return true;
}

/** Every place the workspace writes the name `pattern` ends with (a literal name). */
function occurrences(pattern: readonly string[], index: OptionNameIndex, includeDeclaration: boolean): { uri: string; name: OptionName }[] {
  const found: { uri: string; name: OptionName }[] = [];
  for (const candidate of index.optionNamesEnding(pattern[pattern.length - 1]!)) {
    if (!includeDeclaration && candidate.name.role === 'declaration') continue;
    if (matches(candidate.name.path, pattern)) found.push(candidate);
  }
  return found;
}

/** The references of the option-path name at `position`; undefined when the cursor is on none the workspace declares. */
export function optionReferences(declarations: FileDeclarations, position: Position, index: OptionNameIndex, includeDeclaration: boolean): Location[] | undefined {
  const name = optionNameAt(declarations, position);
  const pattern = name && index.options.pattern(name.path);
  // A name of the user's choosing (`web` in `my.sites.web.port`) is the file's own business.
  if (!pattern || isPlaceholder(pattern[pattern.length - 1]!)) return undefined;
  return occurrences(pattern, index, includeDeclaration).map(({ uri, name: n }) => ({ uri, range: n.range }));
}

/**
 * Rename of the option-path name at `position` (without `newName`: whether it may be renamed, as
 * prepareRename asks). `knowledge` is what the option indexes say, without the workspace's options.
 */
export function renameOptionName(
  declarations: FileDeclarations,
  position: Position,
  index: OptionNameIndex,
  knowledge: KnowledgeQueries | undefined,
  newName?: string,
): OptionRenameResult {
  const name = optionNameAt(declarations, position);
  if (!name) return { kind: 'none' };
  const written = name.path[name.path.length - 1]!;
  const pattern = index.options.pattern(name.path);
  // A name of the user's choosing (`web` in `my.sites.web.port`) is no option's name.
  if (pattern && isPlaceholder(pattern[pattern.length - 1]!)) return { kind: 'none' };
  if (!pattern || !ownedByWorkspace(pattern, index.options, knowledge)) return refuseOptionRename(name.path, knowledge);
  if (newName === undefined) return { kind: 'rename', range: name.range, placeholder: written };
  if (newName.length === 0) return { kind: 'refused', error: 'An option name cannot be empty.' };
  if (newName === written) return { kind: 'rename', range: name.range, placeholder: written, edit: { changes: {} } };
  const renamed = [...pattern.slice(0, -1), newName];
  if (index.options.pattern(renamed) || SCOPES.some((scope) => isKnown(knowledge?.classifyOption(scope, renamed)?.kind))) {
    return { kind: 'refused', error: `'${renamed.map(formatAttrName).join('.')}' is already an option.` };
  }
  const changes: Record<string, TextEdit[]> = {};
  const newText = formatAttrName(newName);
  for (const { uri, name: n } of occurrences(pattern, index, true)) (changes[uri] ??= []).push({ range: n.range, newText });
  return { kind: 'rename', range: name.range, placeholder: written, edit: { changes } };
}

/**
 * The answer for a name in an option path the workspace does not own: refused, unless the option
 * indexes say it is a name of the user's choosing (`alice` in `users.users.alice.isNormalUser`),
 * which the file's own rename may change.
 */
export function refuseOptionRename(path: readonly string[], knowledge: KnowledgeQueries | undefined): OptionRenameResult {
  const written = path[path.length - 1]!;
  if (isChosenName(path, knowledge)) return { kind: 'none' };
  const shown = path.map(formatAttrName).join('.');
  return {
    kind: 'refused',
    error: `'${written}' is part of the option path '${shown}', which this workspace does not declare: renaming it would set a different option. Only options declared in the workspace are renamed (with their declaration and every use).`,
  };
}

/** Whether the option indexes have no option named so there, but a `<name>` or `*` in its place. */
function isChosenName(path: readonly string[], knowledge: KnowledgeQueries | undefined): boolean {
  if (!knowledge || path.length < 2) return false;
  const last = path[path.length - 1]!;
  const parent = path.slice(0, -1);
  return SCOPES.some((scope) => {
    if (knowledge.optionChildren(scope, parent, { prefix: last, limit: 8 }).items.some((c) => c.name === last && !c.placeholder)) return false;
    return ['<', '*'].some((start) => knowledge.optionChildren(scope, parent, { prefix: start, limit: 8 }).items.some((c) => c.placeholder));
  });
}

function isKnown(kind: string | undefined): boolean {
  return kind === 'option' || kind === 'prefix' || kind === 'inside-option';
}

/**
 * Whether the option at or the options below `pattern` are the workspace's: an option the
 * workspace declares (with nothing declared below it), or a prefix of declared options that the
 * option indexes, loaded, know nothing of.
 */
function ownedByWorkspace(pattern: readonly string[], options: DeclaredOptionTree, knowledge: KnowledgeQueries | undefined): boolean {
  if (options.lookup(pattern).length > 0 && !options.hasChildren(pattern)) return true;
  if (options.below(pattern).length === 0) return false;
  return SCOPES.every((scope) => knowledge?.classifyOption(scope, pattern)?.kind === 'unknown');
}
