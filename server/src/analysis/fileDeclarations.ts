// Everything a file offers the rest of the workspace, read from its syntax alone: the options it
// declares (with what their literals say), every name it writes as part of an option path, the
// names it defines (top-level bindings, flake outputs), and the relative paths it refers to. Plain
// data with line/character ranges, so a workspace index can keep it without the text or the tree;
// the entries listed by the thousand keep their ranges compact (compactRanges.ts).
import type { Range } from 'vscode-languageserver-types';
import type { Analysis } from './analysis';
import { CompactDefinedName, CompactOptionName, CompactRelativePath, ownStrings, rangeFields, revivedEntries } from './compactRanges';
import { fileOutline, type OutlineKind, type ValueShape } from './fileOutline';
import { declaredOptions, type OptionDeclaration } from './optionDeclarations';
import { optionUses } from './optionUses';
import { pathReferences } from './pathReferences';

export type DeclaredOption = Omit<OptionDeclaration, 'start' | 'end'> & { range: Range };

export interface OptionName {
  /** The option path up to and including this name. */
  path: string[];
  readonly range: Range;
  /** `declaration`: in an `options` declaration; `use`: where a module sets or reads it. */
  role: 'declaration' | 'use';
}

export interface DefinedName {
  name: string;
  kind: OutlineKind;
  value: ValueShape;
  readonly range: Range;
}

export interface RelativePath {
  text: string;
  readonly range: Range;
}

export interface FileDeclarations {
  options: DeclaredOption[];
  optionNames: OptionName[];
  names: DefinedName[];
  paths: RelativePath[];
}

export const NO_DECLARATIONS: FileDeclarations = { options: [], optionNames: [], names: [], paths: [] };

/** What the analysed file declares; `fileName` (a path or URI) tells flakes and Home Manager files apart. */
export function fileDeclarations(analysis: Analysis, fileName: string): FileDeclarations {
  if (analysis.skipped) return NO_DECLARATIONS;
  const lines = analysis.lines;
  const range = (at: { start: number; end: number }) => lines.range(at);
  const declared = declaredOptions(analysis.root, { fileName });
  const outline = fileOutline(analysis.root, /(^|[/\\])flake\.nix$/.test(fileName));
  const outlineNames = ownStrings(outline.map((entry) => entry.name));
  const references = pathReferences(analysis.root);
  const referenceTexts = ownStrings(references.map((reference) => reference.text));
  const declaredSegments = declared.segments;
  const written = [...declaredSegments, ...optionUses(analysis, { fileName })];
  const parts = ownStrings(written.flatMap((segment) => segment.path));
  let part = 0;
  const optionName = (segment: (typeof written)[number], i: number) =>
    new CompactOptionName(segment.path.map(() => parts[part++]!), i < declaredSegments.length ? 'declaration' : 'use', rangeFields(lines, segment));
  return {
    options: declared.declarations.map(({ start, end, ...rest }) => ({ ...rest, range: range({ start, end }) })),
    optionNames: written.map(optionName),
    names: outline.map(({ kind, value, start, end }, i) => new CompactDefinedName(outlineNames[i]!, kind, value, rangeFields(lines, { start, end }))),
    paths: references.map(({ start, end }, i) => new CompactRelativePath(referenceTexts[i]!, rangeFields(lines, { start, end }))),
  };
}

/** Declarations as a worker thread sent them: their entries made compact again. */
export function revivedDeclarations(cloned: FileDeclarations): FileDeclarations {
  return {
    options: cloned.options,
    optionNames: revivedEntries(cloned.optionNames, (n) => new CompactOptionName(n.path, n.role, n)),
    names: revivedEntries(cloned.names, (n) => new CompactDefinedName(n.name, n.kind, n.value, n)),
    paths: revivedEntries(cloned.paths, (p) => new CompactRelativePath(p.text, p)),
  };
}
