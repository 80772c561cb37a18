// The relative path literals of a file (`./hardware-configuration.nix`, `../common`): what "find
// references" and rename of a file look for. Paths with interpolations are left out (their
// target is only known when evaluated), as are absolute, home (`~/`) and search paths (`<nixpkgs>`).
import type { SyntaxNode } from './syntaxTree';

export interface PathReference {
  /** As written (`./x.nix`). */
  text: string;
  start: number;
  end: number;
}

export function pathReferences(root: SyntaxNode): PathReference[] {
  const found: PathReference[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'path_expression') {
      const text = node.text;
      if ((text.startsWith('./') || text.startsWith('../')) && node.children.every((c) => c.type === 'path_fragment')) {
        found.push({ text, start: node.start, end: node.end });
      }
      continue;
    }
    if (node.type === 'comment' || node.type === 'string_fragment') continue;
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return found;
}
