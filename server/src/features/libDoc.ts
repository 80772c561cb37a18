// Hover and completion documentation for a member of nixpkgs' `lib`: its signature (the doc's
// type line, else its arguments), what it re-exports, its documentation as written above its
// definition, and a link to that definition on GitHub.
import { MarkupKind, type MarkupContent } from 'vscode-languageserver-types';
import { formatAttrPath } from '../knowledge/attrPath';
import type { LibInfo } from '../knowledge/libIndex';
import { codeBlock, escapeMarkdown, inlineCode } from './docs/markdownText';
import { renderNixpkgsMarkdown } from './docs/nixpkgsMarkdown';
import { packageSourceUrl } from './docs/sourceLinks';

export interface LibDocOptions {
  /** The nixpkgs revision or branch for the source link when the index does not know its commit. */
  revision?: string;
  /** Only the signature and the first paragraph (for completion items). */
  brief?: boolean;
}

const KIND_WORDS: Record<LibInfo['kind'], string> = { function: 'function', set: 'attribute set', value: 'value' };

/** `lib.strings.concatStrings`. */
export function libPathText(path: readonly string[]): string {
  return formatAttrPath(['lib', ...path]);
}

/**
 * The signature to show: the doc's type line (`concatStrings :: [string] -> string`), else the
 * call with its argument names (`lib.strings.concatStringsSep sep list`) or its formals
 * (`lib.mkOption { default ? …, type ? … }`).
 */
export function libSignature(info: LibInfo): string | undefined {
  if (info.type) return info.type;
  if (info.kind !== 'function') return undefined;
  if (info.args?.length) return `${libPathText(info.path)} ${info.args.join(' ')}`;
  if (info.formals?.length) {
    const formals = info.formals.map((f) => (f.optional ? `${f.name} ? …` : f.name)).join(', ');
    return `${libPathText(info.path)} { ${formals} }`;
  }
  return undefined;
}

export function libMarkdown(info: LibInfo, options: LibDocOptions = {}): string {
  const lines: string[] = [`**${escapeMarkdown(libPathText(info.path))}** *${KIND_WORDS[info.kind]}*`];
  const signature = libSignature(info);
  if (signature) lines.push('', codeBlock(signature, 'nix'));

  const notes: string[] = [];
  if (info.aliasOf) notes.push(`Re-exports ${inlineCode(libPathText(info.aliasOf))}.`);
  else if (info.inheritedFrom) notes.push(`Inherited from ${inlineCode(info.inheritedFrom)}.`);
  if (info.throws) notes.push('⚠️ Evaluating it fails (removed or deprecated members usually `throw`).');
  if (info.kind === 'set' && info.memberCount !== undefined) notes.push(`${info.memberCount} ${info.memberCount === 1 ? 'member' : 'members'}.`);
  if (notes.length) lines.push('', notes.join(' '));

  if (info.doc) {
    const doc = options.brief ? firstParagraph(info.doc) : info.doc;
    lines.push('', info.docStyle === 'markdown' ? renderDocMarkdown(doc) : codeBlock(doc, 'text'));
  }

  if (!options.brief && info.position) {
    const where = `${info.position.file}:${info.position.line}`;
    const url = packageSourceUrl(where, info.revision ?? options.revision);
    lines.push('', url ? `[Source](${url}) · ${inlineCode(where)}` : inlineCode(info.position.absolutePath));
  }
  return lines.join('\n');
}

export function libDocumentation(info: LibInfo, options: LibDocOptions = {}): MarkupContent {
  return { kind: MarkupKind.Markdown, value: libMarkdown(info, options) };
}

/**
 * RFC 145 doc comments are markdown with nixpkgs' extensions; their `#` headings (`# Inputs`,
 * `# Examples`) would be page titles in a hover, so they become bold lines.
 */
function renderDocMarkdown(doc: string): string {
  let fence: string | undefined;
  const lines = doc.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (!fence) fence = marker;
      else if (line.trim() === fence) fence = undefined;
      return line;
    }
    if (fence) return line;
    const heading = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    return heading ? `**${heading[1]}**` : line;
  });
  return renderNixpkgsMarkdown(lines.join('\n'));
}

function firstParagraph(doc: string): string {
  const paragraph: string[] = [];
  for (const line of doc.split('\n')) {
    if (!line.trim() || /^\s*(#|`{3,}|:::)/.test(line)) {
      if (paragraph.length) break;
      continue;
    }
    paragraph.push(line);
  }
  return paragraph.join('\n');
}
