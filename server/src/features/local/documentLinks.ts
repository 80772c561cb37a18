// Document links: relative and absolute path literals (`./foo.nix`, `../pkgs/x`, `/etc/nixos`),
// where a directory links to its `default.nix` as `import` and `callPackage` read it; and URLs, both
// URI literals (`https://…`) and URLs inside strings and comments. Whether a file exists is asked
// through `exists`, so this stays free of file-system access; paths that are neither a file nor a
// directory with a `default.nix` get no link, as following it could only fail.
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { DocumentLink } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import { descendantsOf, type SyntaxNode } from '../../analysis/syntaxTree';
import { rangeOf } from './textEdits';

/**
 * Whether a file (not a directory: a directory cannot be opened as a document) exists at an
 * absolute file-system path.
 */
export type PathExists = (path: string) => boolean;

/** URLs in strings and comments stop at whitespace, quotes and closing brackets. */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'`<>)\]}]+/g;

export function documentLinks(analysis: Analysis, documentUri: string, exists: PathExists): DocumentLink[] {
  if (analysis.skipped) return [];
  const links: DocumentLink[] = [];
  const directory = documentDirectory(documentUri);
  for (const node of descendantsOf(analysis.root)) {
    switch (node.type) {
      case 'path_expression': {
        if (!directory) break;
        const target = pathTarget(node, directory, exists);
        if (target) links.push({ range: rangeOf(analysis, node), target: pathToFileURL(target).href, tooltip: target });
        break;
      }
      case 'uri_expression':
        if (/^https?:\/\//.test(node.text)) links.push({ range: rangeOf(analysis, node), target: node.text });
        break;
      case 'string_fragment':
      case 'comment':
        for (const match of node.text.matchAll(URL_IN_TEXT)) {
          const url = trimUrl(match[0]);
          const start = node.start + match.index!;
          links.push({ range: rangeOf(analysis, { start, end: start + url.length }), target: url });
        }
        break;
    }
  }
  return links;
}

/** Sentence punctuation after a URL in prose is not part of it. */
function trimUrl(url: string): string {
  return url.replace(/[.,;:!?]+$/, '');
}

export function documentDirectory(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** The file a path literal opens, or undefined when it is built at run time or does not exist. */
export function pathTarget(node: SyntaxNode, directory: string, exists: PathExists): string | undefined {
  if (node.children.some((c) => c.type !== 'path_fragment')) return undefined;
  const literal = node.text;
  const resolved = path.isAbsolute(literal) ? path.normalize(literal) : path.join(directory, literal);
  // A directory stands for its default.nix, as `import` and `callPackage` read it.
  const index = path.join(resolved, 'default.nix');
  if (exists(index)) return index;
  return exists(resolved) ? resolved : undefined;
}
