// Hover and completion documentation for a NixOS or Home Manager option: type, default, example,
// description, whether it is read-only, where it is declared (linked), related packages.
import { MarkupKind, type MarkupContent } from 'vscode-languageserver-types';
import { formatAttrPath } from '../../knowledge/attrPath';
import { pathToFileURL } from 'node:url';
import { declarationFile, type OptionInfo, type OptionValueText } from '../../knowledge/optionRecord';
import type { OptionScope } from '../knowledgeQueries';
import { codeBlock, escapeMarkdown, inlineCode, link } from './markdownText';
import { renderDocBook, renderNixpkgsMarkdown } from './nixpkgsMarkdown';
import { declarationUrl } from './sourceLinks';

export interface OptionDocOptions {
  scope: OptionScope;
  /** The nixpkgs revision or branch for declaration links. */
  revision?: string;
  /** The (0-based) line declaring the option `loc` in `file`, when the file can be read. */
  declarationLine?: (file: string, loc: readonly string[]) => number | undefined;
}

export function optionMarkdown(option: OptionInfo, options: OptionDocOptions): string {
  const lines: string[] = [`**${escapeMarkdown(formatAttrPath(option.loc))}**`];
  const meta: string[] = [];
  if (option.type) meta.push(`*Type:* ${inlineCode(option.type)}`);
  if (option.readOnly) meta.push('*read-only*');
  if (meta.length) lines.push('', meta.join(' · '));
  if (option.description) {
    lines.push('', option.descriptionFormat === 'docbook' ? renderDocBook(option.description) : renderNixpkgsMarkdown(option.description));
  }
  if (option.default) lines.push('', ...valueLines('Default', option.default));
  if (option.example) lines.push('', ...valueLines('Example', option.example));
  if (option.relatedPackages?.length) {
    lines.push('', `**Related packages:** ${option.relatedPackages.map((p) => inlineCode(`pkgs.${p}`)).join(', ')}`);
  }
  if (option.configurations?.length) {
    // Declarations of an evaluated configuration may be in any flake input: linked to the file
    // the evaluating Nix read, or only named.
    const declared = (option.declarations ?? []).map((d) => (d.path ? link(d.name, fileLink(declarationFile(d.path), option.loc, options)) : inlineCode(d.name)));
    if (declared.length) lines.push('', `**Declared in:** ${declared.join(', ')}`);
    lines.push('', `*From the configuration${option.configurations.length > 1 ? 's' : ''} ${option.configurations.map(inlineCode).join(', ')}*`);
  } else if (option.declarations?.length) {
    const declared = option.declarations.map((d) => link(d.name, d.url ?? declarationUrl(d.name, options.scope, options.revision)));
    lines.push('', `**Declared in:** ${declared.join(', ')}`);
  }
  return lines.join('\n');
}

/** A file's URL, at the line declaring the option when it is known. */
function fileLink(file: string, loc: readonly string[], options: OptionDocOptions): string {
  const line = options.declarationLine?.(file, loc);
  return `${pathToFileURL(file).href}${line === undefined ? '' : `#L${line + 1}`}`;
}

export function optionDocumentation(option: OptionInfo, options: OptionDocOptions): MarkupContent {
  return { kind: MarkupKind.Markdown, value: optionMarkdown(option, options) };
}

function valueLines(label: string, value: OptionValueText): string[] {
  if (value.kind === 'markdown') return [`**${label}:** ${renderNixpkgsMarkdown(value.text)}`];
  if (value.kind === 'docbook') return [`**${label}:** ${renderDocBook(value.text)}`];
  const text = value.text.trim();
  if (!text.includes('\n') && text.length <= 60) return [`**${label}:** ${inlineCode(text)}`];
  return [`**${label}:**`, codeBlock(text, 'nix')];
}
