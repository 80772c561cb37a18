// An option declared in a nixpkgs that is not on disk is answered with its file on GitHub. That
// page is long (nginx's module is 1,500 lines); with the file's text at the same revision the
// declaring binding is found as on disk, and the link gets its line (`#L120`). The text is fetched
// in the background of the request, once per file and revision; without it (offline, a slow
// answer) the link is the file's, as before.
import type { Location } from 'vscode-languageserver-types';
import { LineIndex } from '../analysis/lineIndex';
import { optionDeclarationSite } from '../analysis/optionDeclarationSite';
import type { SyntaxNode } from '../analysis/syntaxTree';
import { NIXPKGS_REPOSITORY } from './docs/sourceLinks';

const RAW_NIXPKGS = 'https://raw.githubusercontent.com/NixOS/nixpkgs';
/** Files kept; the oldest goes first. */
const KEPT_FILES = 32;
const BLOB = new RegExp(`^${NIXPKGS_REPOSITORY.replace(/[.]/g, '\\.')}/blob/([^/#?]+)/([^#?]+)$`);

/** `https://github.com/NixOS/nixpkgs/blob/<rev>/<path>` → the raw file at that revision. */
export function rawNixpkgsFileUrl(blobUrl: string): string | undefined {
  const match = BLOB.exec(blobUrl);
  return match ? `${RAW_NIXPKGS}/${match[1]}/${match[2]}` : undefined;
}

export interface WebDeclarationAnchorsOptions {
  /** The text at `url`, or undefined when it cannot be had (quickly). */
  fetchText(url: string): Promise<string | undefined>;
  parse(text: string): SyntaxNode | undefined;
}

export class WebDeclarationAnchors {
  /** File texts by raw URL: a file is fetched once. */
  private readonly texts = new Map<string, Promise<string | undefined>>();

  constructor(private readonly options: WebDeclarationAnchorsOptions) {}

  /** The locations, nixpkgs pages on GitHub given the line where `loc` is declared when found. */
  async anchor(locations: Location[], loc: readonly string[]): Promise<Location[]> {
    return Promise.all(locations.map((location) => this.anchorOne(location, loc)));
  }

  private async anchorOne(location: Location, loc: readonly string[]): Promise<Location> {
    const raw = rawNixpkgsFileUrl(location.uri);
    if (!raw) return location;
    let text = this.texts.get(raw);
    if (!text) {
      text = this.options.fetchText(raw).catch(() => undefined);
      if (this.texts.size >= KEPT_FILES) this.texts.delete(this.texts.keys().next().value!);
      this.texts.set(raw, text);
      // A failure is not remembered: the next request may be online.
      void text.then((value) => value === undefined && this.texts.delete(raw));
    }
    const source = await text;
    const root = source === undefined ? undefined : this.options.parse(source);
    const site = root && optionDeclarationSite(root, loc);
    if (!site || source === undefined) return location;
    const range = new LineIndex(source).range(site);
    return { uri: `${location.uri}#L${range.start.line + 1}`, range };
  }
}
