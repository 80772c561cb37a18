// Small functions for writing markdown that shows what it says: user data (descriptions, names,
// URLs from package metadata) must not turn into formatting or break out of a code span.

/** Escapes characters markdown would read as formatting. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`);
}

/** An inline code span that holds any text, backticks included. */
export function inlineCode(text: string): string {
  const single = text.replace(/\n/g, ' ');
  const runs = single.match(/`+/g) ?? [];
  const longest = runs.reduce((n, run) => Math.max(n, run.length), 0);
  const fence = '`'.repeat(longest + 1);
  const pad = single.startsWith('`') || single.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${single}${pad}${fence}`;
}

/** A fenced code block that holds any text. */
export function codeBlock(text: string, language = ''): string {
  const runs = text.match(/`{3,}/g) ?? [];
  const longest = runs.reduce((n, run) => Math.max(n, run.length), 2);
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\s+$/, '')}\n${fence}`;
}

/** Whether `url` is an http(s) URL safe to put in a link. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>()]+$/i.test(url);
}

/** A `file:` URL, optionally with a `#L12` line (a declaration in the workspace). */
function isFileUrl(url: string): boolean {
  return /^file:\/\/[^\s<>()]+$/i.test(url);
}

/** `[text](url)` when the URL is a web or file URL, else the escaped text. */
export function link(text: string, url: string | undefined): string {
  if (!url || !(isWebUrl(url) || isFileUrl(url))) return escapeMarkdown(text);
  return `[${escapeMarkdown(text)}](${url})`;
}

/** A bare URL as a link, or escaped text when it is not a web URL. */
export function autolink(url: string): string {
  return isWebUrl(url) ? `<${url}>` : escapeMarkdown(url);
}
