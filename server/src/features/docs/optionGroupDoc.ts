// Hover for an option path that is not an option itself: a group of options (`services.nginx`)
// or an entry the user named in an attribute set of submodules (`users.users.alice`). It says
// what the path is, what its `enable` option or its set's description says, and which options
// can be set below it.
import type { KnowledgeQueries, OptionScope } from '../knowledgeQueries';
import { escapeMarkdown, inlineCode } from './markdownText';
import { renderDocBook, renderNixpkgsMarkdown } from './nixpkgsMarkdown';

/** How many option names below the path the hover lists. */
const LISTED = 24;

const SCOPE_LABEL: Record<OptionScope, string> = { nixos: 'NixOS', 'home-manager': 'Home Manager', 'flake-parts': 'flake-parts' };

export function optionGroupMarkdown(scope: OptionScope, path: readonly string[], knowledge: KnowledgeQueries): string | undefined {
  if (path.length === 0) return undefined;
  const children = knowledge.optionChildren(scope, path, { limit: LISTED });
  if (children.items.length === 0) return undefined;
  const title = `**${escapeMarkdown(path.join('.'))}**`;
  const lines: string[] = [];

  const parentPath = path.slice(0, -1);
  const named = knowledge.optionChildren(scope, parentPath, { limit: 200 }).items.some((child) => child.placeholder);
  const literal = knowledge.optionChildren(scope, parentPath, { limit: 200 }).items.some((child) => child.name === path[path.length - 1] && !child.placeholder);
  const set = named && !literal ? knowledge.lookupOption(scope, parentPath) : undefined;
  if (set) {
    // `users.users.alice`: one entry of `users.users`, whose description is the set's.
    lines.push(`${title} — an entry of ${inlineCode(parentPath.join('.'))}${set.type ? ` (${escapeMarkdown(set.type)})` : ''}`);
    if (set.description) lines.push('', firstParagraph(set.descriptionFormat === 'docbook' ? renderDocBook(set.description) : renderNixpkgsMarkdown(set.description)));
  } else {
    lines.push(`${title} — ${SCOPE_LABEL[scope]} options`);
    const enable = knowledge.lookupOption(scope, [...path, 'enable']);
    if (enable?.description) lines.push('', firstParagraph(enable.descriptionFormat === 'docbook' ? renderDocBook(enable.description) : renderNixpkgsMarkdown(enable.description)));
  }
  const names = children.items.map((child) => inlineCode(child.placeholder ? child.name : child.kind === 'set' || child.hasChildren ? `${child.name}.…` : child.name));
  const more = children.incomplete ? ', …' : '';
  lines.push('', `Options below: ${names.join(', ')}${more}`);
  return lines.join('\n');
}

function firstParagraph(markdown: string): string {
  return markdown.split(/\n\s*\n/)[0]!.trim();
}
