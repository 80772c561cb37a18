// Go to definition on a name a `with` provides (`with pkgs; [ hello ]`): the `with`'s subject, the
// expression the name is read from. With `with`s inside each other, every subject that may provide
// it, innermost first (the innermost that has the name wins when Nix evaluates it).
import type { Location } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import { locationOf } from '../local/textEdits';
import { targetAt } from '../local/symbolTargets';

export function withDefinition(analysis: Analysis, uri: string, offset: number): Location[] {
  const target = targetAt(analysis, offset);
  if (target?.kind !== 'with') return [];
  return target.withs.flatMap((w) => {
    const subject = w.child('environment');
    return subject ? [locationOf(analysis, uri, subject)] : [];
  });
}
