// Hover and go to definition on `inputs.<input>.nixosModules.<module>` (or `<input>.nixosModules.…`
// among the outputs' arguments): the module as the input's flake lists it (flake/inputModules.ts).
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver-types';
import type { CursorContext } from '../../analysis/context';
import type { InputModule, InputModulesState } from '../../flake/inputModules';

export type InputModulesLookup = (input: string) => InputModulesState | undefined;

/** The module named under the cursor, when the input's modules are listed. */
export function inputModuleAt(context: CursorContext, lookup: InputModulesLookup | undefined): { input: string; module: InputModule } | undefined {
  if (context.kind !== 'nurRepoOutputs' || context.path.length !== 1 || context.path[0] !== 'nixosModules' || !context.word) return undefined;
  const listing = lookup?.(context.input);
  const module = listing?.state === 'ready' ? listing.modules.find((m) => m.name === context.word) : undefined;
  return module && { input: context.input, module };
}

export function inputModuleMarkdown(input: string, module: InputModule): string {
  const lines = [`**${module.name}** — NixOS module of the input \`${input}\``];
  if (module.file) lines.push('', `\`${module.file}\``);
  else if (module.position) lines.push('', `defined in \`${module.position.file}:${module.position.line}\``);
  return lines.join('\n');
}

/** The module's file, else where the input's flake names it. */
export function inputModuleLocation(module: InputModule): Location | undefined {
  const zero = { line: 0, character: 0 };
  if (module.file) return { uri: pathToFileURL(module.file).href, range: { start: zero, end: zero } };
  if (!module.position) return undefined;
  const line = { line: module.position.line - 1, character: 0 };
  return { uri: pathToFileURL(module.position.file).href, range: { start: line, end: line } };
}
