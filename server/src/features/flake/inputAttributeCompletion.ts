// Completion after an input's name in the outputs function (`nixpkgs.` → `legacyPackages`, `lib`,
// `nixosModules`, …): what every input has (its source: `outPath`, `rev`, `lastModified`, …) and
// what it provides — nixpkgs' own outputs for a nixpkgs input, the standard flake outputs for any
// other. Read from the text before the cursor, since `nixpkgs.` alone does not parse.
import { CompletionItemKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver-types';
import type { Parser } from 'web-tree-sitter';
import { readFlakeSyntax, type FlakeSyntax } from '../../flake/flakeSyntax';
import { FLAKE_OUTPUTS } from './flakeCompletion';
import { offsetAt } from './textPositions';
import { parseNix } from '../../syntax/grammarText';

/** What nixpkgs' flake provides. */
const NIXPKGS_OUTPUTS: readonly (readonly [name: string, description: string])[] = [
  ['legacyPackages', 'legacyPackages.<system>: the whole package set (`nixpkgs.legacyPackages.${system}.hello`)'],
  ['lib', 'lib: the nixpkgs library, with `lib.nixosSystem` to build a NixOS configuration'],
  ['nixosModules', "nixosModules: NixOS modules of nixpkgs (`notDetected`, `readOnlyPkgs`)"],
  ['checks', 'checks.<system>: the tests `nix flake check` runs'],
  ['devShells', 'devShells.<system>: shells for working on nixpkgs'],
  ['formatter', 'formatter.<system>: the formatter nixpkgs uses'],
  ['htmlDocs', 'htmlDocs: the nixpkgs and NixOS manuals'],
];

/** What every input is, besides its outputs: its source tree and where it was locked. */
const SOURCE_ATTRIBUTES: readonly (readonly [name: string, description: string])[] = [
  ['outPath', "The input's source in the Nix store (what `\"${input}\"` and `import input` use)"],
  ['rev', 'The locked commit (git and forge inputs)'],
  ['shortRev', 'The first 7 characters of `rev`'],
  ['lastModified', 'When the locked revision was made, in seconds since 1970'],
  ['lastModifiedDate', 'The same as `YYYYMMDDHHMMSS`'],
  ['narHash', 'The hash of the source tree'],
  ['sourceInfo', 'The locked source: `outPath`, `rev`, `narHash`, …'],
  ['inputs', "The input's own inputs"],
  ['outputs', "The input's outputs (also reachable directly: `input.packages`)"],
];

const NAME = /(?:^|[^A-Za-z0-9_'.-])([A-Za-z_][A-Za-z0-9_'-]*)\.([A-Za-z0-9_'-]*)$/;

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/**
 * Completions after `<input>.` inside the outputs function, or undefined when the cursor is
 * elsewhere. `nixpkgs.` followed by `}` may break the file so that its outputs cannot be read;
 * with a parser the text is then read again with a name typed after the dot.
 */
export function inputAttributeCompletions(content: string, position: Position, syntax: FlakeSyntax, parser?: Parser): CompletionItem[] | undefined {
  const offset = offsetAt(content, position);
  const lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  // No `name.` before the cursor: nothing to answer, and no reparse to find out.
  const match = NAME.exec(content.slice(lineStart, offset));
  if (!match) return undefined;
  let outputs = syntax.outputs;
  if (!outputs && parser) {
    const tree = parseNix(parser, `${content.slice(0, offset)}nixNurCursor${content.slice(offset)}`);
    if (tree) {
      try {
        outputs = readFlakeSyntax(tree.rootNode).outputs;
      } finally {
        tree.delete();
      }
    }
  }
  if (!outputs || !before(outputs.bodyRange.start, position) || !before(position, outputs.bodyRange.end)) return undefined;
  const [, name, typed] = match;
  const formal = outputs.formals?.some((f) => f.name === name);
  if (!formal || name === 'self') return undefined;
  const replace: Range = { start: { line: position.line, character: position.character - typed.length }, end: position };
  const declared = syntax.inputs.find((input) => input.name === name);
  const url = declared?.url?.value ?? '';
  const isNixpkgs = name === 'nixpkgs' || /^github:NixOS\/nixpkgs\b/i.test(url);
  const provided = isNixpkgs ? NIXPKGS_OUTPUTS : FLAKE_OUTPUTS;
  const items: CompletionItem[] = provided.map(([label, description], index) => ({
    label,
    kind: CompletionItemKind.Module,
    detail: isNixpkgs ? description : `${description} (if ${name} provides it)`,
    textEdit: { range: replace, newText: label },
    sortText: `0-${String(index).padStart(2, '0')}`,
  }));
  SOURCE_ATTRIBUTES.forEach(([label, description], index) => {
    items.push({ label, kind: CompletionItemKind.Property, detail: description, textEdit: { range: replace, newText: label }, sortText: `1-${String(index).padStart(2, '0')}` });
  });
  return items;
}
