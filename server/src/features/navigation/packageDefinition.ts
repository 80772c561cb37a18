// Go to definition on a nixpkgs package (`pkgs.hello`, `with pkgs; [ hello ]`): where nixpkgs
// defines it, from the package's `meta.position`. In the pinned nixpkgs when its source is on disk,
// otherwise the file on GitHub at the revision the index describes (editors open that page in the
// browser). NUR packages carry a URL as their position already.
import { existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver-types';
import type { CursorContext } from '../../analysis/context';
import { packageSourceUrl, splitPosition } from '../docs/sourceLinks';
import type { KnowledgeQueries } from '../knowledgeQueries';

export function packageDefinition(context: CursorContext, knowledge: KnowledgeQueries | undefined, exists: (path: string) => boolean = existsSync): Location[] {
  if (context.kind !== 'packages' || !knowledge || !context.word) return [];
  const position = knowledge.lookupPackage(context.hoverPath)?.position;
  if (!position) return [];
  const { file, line } = splitPosition(position);
  const at = { line: Math.max(0, (line ?? 1) - 1), character: 0 };
  const range = { start: at, end: at };
  const source = /^https?:\/\//.test(position) ? undefined : knowledge.nixpkgsSource();
  if (source && !file.startsWith('/')) {
    const onDisk = normalize(join(source, file));
    if (onDisk.startsWith(normalize(source) + sep) && exists(onDisk)) return [{ uri: pathToFileURL(onDisk).href, range }];
  }
  const url = packageSourceUrl(position, knowledge.nixpkgsRevision());
  return url ? [{ uri: url, range }] : [];
}
