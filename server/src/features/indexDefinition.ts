// Go to definition for names the indexes know: a `lib.` function jumps to where the pinned
// nixpkgs defines it, and an option to the binding that declares it, when that source is on disk.
// An option whose source is not on disk answers with its declaration's web page instead (editors
// open it in the browser; the VS Code client does so itself). An option of an evaluated
// configuration goes to the file its declaration names, in the store, on the declaring binding.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, Range } from 'vscode-languageserver-types';
import type { CursorContext } from '../analysis/context';
import { LineIndex } from '../analysis/lineIndex';
import { optionDeclarationSite } from '../analysis/optionDeclarationSite';
import type { SyntaxNode } from '../analysis/syntaxTree';
import { declarationUrl } from './docs/sourceLinks';
import { declarationFile, type OptionInfo } from '../knowledge/optionRecord';
import type { KnowledgeQueries, OptionScope } from './knowledgeQueries';

/** What finding a declaration inside a file needs: reading and parsing it. */
export interface SourceFiles {
  read(path: string): string | undefined;
  /** A syntax tree of `text`, or undefined when it cannot be parsed. */
  parse(text: string): SyntaxNode | undefined;
}

/** Files read from disk (else from `elsewhere`, when given); a file that cannot be read is simply not there. */
export function diskFiles(parse: (text: string) => SyntaxNode | undefined, elsewhere?: (path: string) => string | undefined): SourceFiles {
  return {
    read: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return elsewhere?.(path);
      }
    },
    parse,
  };
}

const START_OF_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function indexDefinition(context: CursorContext, knowledge: KnowledgeQueries | undefined, files?: SourceFiles): Location[] {
  if (!knowledge) return [];
  if (context.kind === 'lib') return libDefinition(context.hoverPath, knowledge);
  if (context.kind === 'option') return optionDefinition(context.tree, context.hoverPath, knowledge, files);
  return [];
}

function libDefinition(path: string[], knowledge: KnowledgeQueries): Location[] {
  const position = knowledge.lookupLib(path)?.position;
  if (!position?.absolutePath) return [];
  const line = Math.max(0, position.line - 1);
  return [{ uri: pathToFileURL(position.absolutePath).href, range: { start: { line, character: 0 }, end: { line, character: 0 } } }];
}

function optionDefinition(scope: OptionScope, path: string[], knowledge: KnowledgeQueries, files: SourceFiles | undefined): Location[] {
  const option = knowledge.lookupOption(scope, path);
  if (!option?.declarations?.length) return [];
  if (option.configurations?.length) return evaluatedDeclarations(option, files);
  const source = scope === 'nixos' ? knowledge.nixpkgsSource() : undefined;
  const locations: Location[] = [];
  for (const declaration of option.declarations) {
    const file = source && files ? fileInTree(source, declaration.name) : undefined;
    if (file && existsSync(file)) {
      locations.push({ uri: pathToFileURL(file).href, range: declarationRange(file, option.loc, files!) });
      continue;
    }
    const url = declaration.url ?? declarationUrl(declaration.name, scope, knowledge.nixpkgsRevision());
    if (url) locations.push({ uri: url, range: START_OF_FILE });
  }
  return locations;
}

/**
 * An option of an evaluated configuration: its declarations name files (or a module's directory)
 * as the evaluating Nix saw them, in the store copies of the configuration's inputs.
 */
function evaluatedDeclarations(option: OptionInfo, files: SourceFiles | undefined): Location[] {
  const locations: Location[] = [];
  for (const declaration of option.declarations ?? []) {
    if (!declaration.path) continue;
    // A module imported as a file without the `.nix` suffix is that file, not a directory.
    const file = files && files.read(declarationFile(declaration.path)) === undefined && files.read(declaration.path) !== undefined ? declaration.path : declarationFile(declaration.path);
    locations.push({ uri: pathToFileURL(file).href, range: files ? declarationRange(file, option.loc, files) : START_OF_FILE });
  }
  return locations;
}

/** The files declaring the option at the cursor that an evaluated configuration reported (to read them first). */
export function evaluatedDeclarationFiles(context: CursorContext, knowledge: KnowledgeQueries | undefined): string[] {
  if (context.kind !== 'option' || !knowledge) return [];
  const option = knowledge.lookupOption(context.tree, context.hoverPath);
  if (!option?.configurations?.length) return [];
  return (option.declarations ?? []).flatMap((d) => (!d.path ? [] : d.path.endsWith('.nix') ? [d.path] : [declarationFile(d.path), d.path]));
}

/** `nixos/modules/…` or `<nixpkgs/nixos/modules/…>` inside `root`; undefined for anything leading out of it. */
function fileInTree(root: string, name: string): string | undefined {
  const relative = /^<nixpkgs\/(.+)>$/.exec(name)?.[1] ?? name;
  if (isAbsolute(relative) || relative.startsWith('<')) return undefined;
  const file = normalize(join(root, relative));
  return file.startsWith(normalize(root) + sep) ? file : undefined;
}

/** The declaring binding's attribute path in `file`, or the file's start when none is found. */
function declarationRange(file: string, loc: readonly string[], files: SourceFiles): Range {
  return declarationSiteIn(file, loc, files) ?? START_OF_FILE;
}

/** The line declaring `loc` in `file` (for hover's links), remembered once found. */
export function declarationLines(files: SourceFiles, kept = 256): (file: string, loc: readonly string[]) => number | undefined {
  const found = new Map<string, number>();
  return (file, loc) => {
    const key = `${file}\0${loc.join('\0')}`;
    let line = found.get(key);
    if (line === undefined) {
      line = declarationSiteIn(file, loc, files)?.start.line;
      if (line === undefined) return undefined;
      found.set(key, line);
      if (found.size > kept) found.delete(found.keys().next().value!);
    }
    return line;
  };
}

/** The range of the binding declaring `loc` in `file`, when the file can be read and has one. */
export function declarationSiteIn(file: string, loc: readonly string[], files: SourceFiles): Range | undefined {
  const text = files.read(file);
  const root = text === undefined ? undefined : files.parse(text);
  const site = root && optionDeclarationSite(root, loc);
  return site && text !== undefined ? new LineIndex(text).range(site) : undefined;
}
