// Go to definition on a path literal: the file it names, and for a directory its `default.nix`,
// as `import` and `callPackage` read it (the same target its document link has).
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import { nodeAt } from '../../analysis/syntaxTree';
import { documentDirectory, pathTarget, type PathExists } from '../local/documentLinks';

const START = { line: 0, character: 0 };

export function pathDefinition(analysis: Analysis, documentUri: string, offset: number, exists: PathExists): Location[] {
  if (analysis.skipped) return [];
  const directory = documentDirectory(documentUri);
  if (!directory) return [];
  for (let node: ReturnType<typeof nodeAt> | null = nodeAt(analysis.root, offset, false); node; node = node.parent) {
    if (node.type !== 'path_expression') continue;
    const target = pathTarget(node, directory, exists);
    return target ? [{ uri: pathToFileURL(target).href, range: { start: START, end: START } }] : [];
  }
  return [];
}
