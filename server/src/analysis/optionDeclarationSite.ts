// Where, in a module's source, an option is declared: the binding that makes it
// (`forceSSL = mkOption { … };`, `enable = lib.mkEnableOption "…";`). options.json names only the
// declaring file, and for options inside a submodule often the file that declares the enclosing
// option (nginx's `virtualHosts.<name>.forceSSL` names nginx/default.nix, while the option itself
// is written in vhost-options.nix). So the search is forgiving: the binding whose attribute path,
// read through nested sets, ends with the longest part of the option path wins, and a binding
// whose value calls one of the `mk…Option` functions beats one that merely shares a name.
import { attrName } from './names';
import type { SyntaxNode } from './syntaxTree';

export interface DeclarationSite {
  /** The start and end of the binding's attribute path. */
  start: number;
  end: number;
}

/** Option path parts that stand for any name (`<name>` of attrsOf submodules, `*` of lists). */
function isPlaceholder(part: string): boolean {
  return part === '*' || (part.startsWith('<') && part.endsWith('>'));
}

interface Candidate {
  site: DeclarationSite;
  /** Index in the option path of the part the binding's last name equals. */
  depth: number;
  /** How many parts of the option path, ending at `depth`, the binding's nested path spells. */
  agreeing: number;
  declares: boolean;
}

/** The best declaration site of the option `loc` in the module parsed as `root`, if any. */
export function optionDeclarationSite(root: SyntaxNode, loc: readonly string[]): DeclarationSite | undefined {
  let best: Candidate | undefined;
  // Bindings with the attribute path leading to them through directly nested sets.
  const stack: { node: SyntaxNode; prefix: string[] }[] = [{ node: root, prefix: [] }];
  while (stack.length) {
    const { node, prefix } = stack.pop()!;
    if (node.type === 'binding') {
      const attrpath = node.child('attrpath');
      const value = node.child('expression');
      const names = attrpath ? attrpath.children.filter((c) => c.type !== 'comment').map(attrName) : [];
      const path = names.every((n): n is string => n !== undefined) ? [...prefix, ...names] : [];
      if (attrpath && path.length) {
        const candidate = judge(attrpath, path, loc, value !== undefined && declaresOption(value));
        if (candidate && (!best || better(candidate, best))) best = candidate;
      }
      // A set as the value continues the path; anything else (a call, a function) starts afresh.
      if (value) stack.push({ node: value, prefix: isSet(value) ? path : [] });
      continue;
    }
    const kids = node.children;
    const inherited = isSet(node) || node.type === 'binding_set' ? prefix : [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, prefix: inherited });
  }
  return best?.site;
}

function isSet(node: SyntaxNode): boolean {
  return node.type === 'attrset_expression' || node.type === 'rec_attrset_expression';
}

function judge(attrpath: SyntaxNode, path: string[], loc: readonly string[], declares: boolean): Candidate | undefined {
  const last = path[path.length - 1]!;
  for (let depth = loc.length - 1; depth >= 0; depth--) {
    if (loc[depth] !== last || isPlaceholder(loc[depth]!)) continue;
    // Walk back through both paths; placeholders in the option path match nothing written.
    let agreeing = 1;
    for (let i = path.length - 2, j = depth - 1; i >= 0 && j >= 0 && path[i] === loc[j]; i--, j--) agreeing++;
    // A lone name far from the option's end that declares nothing is a coincidence, not a site.
    if (!declares && agreeing < 2) continue;
    return { site: { start: attrpath.start, end: attrpath.end }, depth, agreeing, declares };
  }
  return undefined;
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.depth !== b.depth) return a.depth > b.depth;
  if (a.declares !== b.declares) return a.declares;
  return a.agreeing > b.agreeing;
}

/** Whether `value` calls `mkOption`, `mkEnableOption`, `mkPackageOption` or a relative. */
function declaresOption(value: SyntaxNode): boolean {
  if (value.type !== 'apply_expression') return false;
  let fn: SyntaxNode | undefined = value;
  while (fn?.type === 'apply_expression') fn = fn.child('function');
  if (!fn) return false;
  let name: string | undefined;
  if (fn.type === 'variable_expression') name = fn.child('name')?.text;
  else if (fn.type === 'select_expression') {
    const attrs = fn.child('attrpath')?.children ?? [];
    const lastAttr = attrs[attrs.length - 1];
    name = lastAttr ? attrName(lastAttr) : undefined;
  }
  return name !== undefined && /^mk\w*Option$/.test(name);
}
