// Go to definition for names the indexes know: a `lib.` function jumps to where the pinned
// nixpkgs defines it, when that source is on disk.
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver-types';
import type { CursorContext } from '../analysis/context';
import type { KnowledgeQueries } from './knowledgeQueries';

export function indexDefinition(context: CursorContext, knowledge: KnowledgeQueries | undefined): Location[] {
  if (context.kind !== 'lib' || !knowledge) return [];
  const position = knowledge.lookupLib(context.hoverPath)?.position;
  if (!position?.absolutePath) return [];
  const line = Math.max(0, position.line - 1);
  return [{ uri: pathToFileURL(position.absolutePath).href, range: { start: { line, character: 0 }, end: { line, character: 0 } } }];
}
