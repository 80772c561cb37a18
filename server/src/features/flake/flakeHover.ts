// Hover on an input of flake.nix: what flake.lock pins it to — commit (short and full, linked to
// its forge), date and age, branch, content hash, and the original next to the locked reference.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { lockedNarHash, lockedRevision, lockedRefText, originalRefText, trackedRef, type FlakeLockStatus } from '../../flake/flakeLock';
import { printFlakeRef } from '../../flake/flakeRef';
import { inputSource, type FlakeSyntax } from '../../flake/flakeSyntax';
import { inputLockState } from '../../flake/lockedInput';
import { commitUrl } from './forgeLinks';
import { inputAt } from './flakeInputAt';
import { lockedWhen, shortRevision } from './lockDescription';

export interface FlakeHoverParams {
  readonly syntax: FlakeSyntax;
  readonly lock: FlakeLockStatus;
  readonly position: Position;
  readonly now: Date;
}

export function flakeHover(params: FlakeHoverParams): Hover | undefined {
  const found = inputAt(params.syntax, params.position);
  if (!found) return undefined;
  const { decl } = found;
  const lines: string[] = [];
  const source = inputSource(decl);
  const written = decl.follows ? `follows \`${decl.follows.value}\`` : source ? `\`${printFlakeRef(source)}\`` : decl.url ? '(computed URL)' : undefined;
  lines.push(`**${decl.name}**${written ? ` · ${written}` : ''}${decl.implicit ? ' (from the flake registry, named only in the outputs)' : ''}`);
  if (decl.flake === false) lines.push('', 'Not a flake: a plain source tree.');

  const state = inputLockState(params.lock, decl.name);
  lines.push('');
  switch (state.state) {
    case 'no-lock':
      lines.push('_Not locked yet: there is no flake.lock. Update (`nix flake lock`) creates it._');
      break;
    case 'not-locked':
      lines.push('_Not locked yet: flake.lock has no entry for this input. Update (`nix flake lock`) adds it._');
      break;
    case 'lock-invalid':
      lines.push(`_flake.lock cannot be read: ${state.message}_`);
      break;
    case 'locked': {
      const node = state.node;
      if (state.followed.length > 0) lines.push(`- resolves through \`${state.followed.map((path) => path.join('/') || '(this flake)').join('` → `')}\``);
      const rev = lockedRevision(node);
      if (rev) {
        const url = commitUrl(node.locked);
        const short = url ? `[\`${shortRevision(rev)}\`](${url})` : `\`${shortRevision(rev)}\``;
        lines.push(`- commit: ${short} · \`${rev}\``);
      }
      const when = lockedWhen(node, params.now);
      if (when) lines.push(`- date: ${when}`);
      const ref = trackedRef(node);
      if (ref) lines.push(`- ref: \`${ref}\``);
      const narHash = lockedNarHash(node);
      if (narHash) lines.push(`- narHash: \`${narHash}\``);
      const original = originalRefText(node);
      if (original) lines.push(`- original: \`${original}\``);
      const locked = lockedRefText(node);
      if (locked) lines.push(`- locked: \`${locked}\``);
      if (!node.flake && decl.flake !== false) lines.push('- locked as a plain source (`flake = false`)');
      break;
    }
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: found.range };
}
