// Someone editing Nix, as a stream of steps: at a plausible place (after a `;`, `{` or `[` that
// ends a line) press Enter and type a binding or a list item one character at a time, asking for
// completion where an editor would (after `.`, at the start of a name, and again while a long list
// narrows) and hovering now and then; then delete it again word by word, or keep it. Now and then
// a balanced block of lines is pasted, and mostly undone. Offsets refer to the text as it is when
// the step comes.

export type TypingStep =
  | { type: 'insert'; offset: number; text: string }
  | { type: 'delete'; offset: number; length: number }
  | { type: 'complete'; offset: number }
  | { type: 'hover'; offset: number }
  /** Thinking between two edits. */
  | { type: 'pause'; ms: number };

/** Attribute bindings as people write them in modules and packages. */
export const BINDING_SNIPPETS = [
  'environment.systemPackages = with pkgs; [ ripgrep fd jq ];',
  'services.nginx.virtualHosts."example.org".forceSSL = true;',
  'services.openssh.enable = true;',
  'buildInputs = [ pkgs.zlib pkgs.openssl pkgs.python313Packages.requests ];',
  'programs.git.enable = lib.mkDefault true;',
  'nurPackages = [ pkgs.nur.repos.mic92.hello-nur ];',
  'version = "1.2.3";',
  'meta.description = "A small tool for the soak test";',
  'networking.firewall.allowedTCPPorts = [ 80 443 ];',
  'greeting = builtins.toString (builtins.length [ 1 2 3 ]);',
  'inherit (pkgs) hello;',
  'nativeBuildInputs = with pkgs; [ pkg-config cmake ];',
  'settings = { port = 8080; host = "localhost"; };',
];

/** Items of a list. */
export const LIST_SNIPPETS = [
  'pkgs.ripgrep',
  'pkgs.python313Packages.requests',
  'pkgs.nur.repos.mic92.goatcounter',
  'git',
  'hello',
  '(pkgs.writeShellScriptBin "hi" "echo hi")',
  'pkgs.nodePackages.prettier',
];

const NAME_CHAR = /[A-Za-z0-9_'-]/;
/** The pairs an editor closes by itself. */
const CLOSING: Record<string, string> = { '"': '"', '[': ']', '{': '}', '(': ')' };

export class TypingReplay {
  constructor(private readonly random: () => number) {}

  /** One editing session on `text`: the steps, each valid for the text as the previous left it. */
  *session(text: string): Generator<TypingStep> {
    if (this.random() < 0.05) {
      yield* this.pasteAndMaybeUndo(text);
      return;
    }
    const anchor = this.placeToType(text);
    const lineStart = text.lastIndexOf('\n', anchor - 1) + 1;
    const indent = (/^[ \t]*/.exec(text.slice(lineStart, anchor))?.[0] ?? '') + '  ';
    const inList = /\[\s*$/.test(text.slice(lineStart, anchor));
    const snippet = this.pick(inList ? LIST_SNIPPETS : BINDING_SNIPPETS);

    // Enter (with the editor's indentation), then the snippet character by character. Like an
    // editor, an opening quote or bracket brings its closing one along, and typing that closing
    // character later just steps over it — so the text is rarely unbalanced for long.
    let cursor = anchor;
    yield { type: 'insert', offset: cursor, text: `\n${indent}` };
    cursor += 1 + indent.length;
    let inserted = 1 + indent.length;
    const typedFrom = cursor;
    const closers: string[] = [];
    let sinceHover = 0;
    for (let i = 0; i < snippet.length; i++) {
      const char = snippet[i];
      const inString = closers[closers.length - 1] === '"';
      if (closers[closers.length - 1] === char) {
        closers.pop();
      } else if (char in CLOSING && (!inString || char === '"')) {
        yield { type: 'insert', offset: cursor, text: char + CLOSING[char] };
        closers.push(CLOSING[char]);
        inserted += 2;
      } else {
        yield { type: 'insert', offset: cursor, text: char };
        inserted++;
      }
      cursor++;
      const previous = i > 0 ? snippet[i - 1] : ' ';
      const startsName = NAME_CHAR.test(char) && !NAME_CHAR.test(previous);
      if (char === '.' || char === '"' || startsName || (NAME_CHAR.test(char) && this.random() < 0.4)) yield { type: 'complete', offset: cursor };
      if (++sinceHover >= 12 && this.random() < 0.5) {
        sinceHover = 0;
        if (this.random() < 0.5) {
          yield { type: 'hover', offset: this.inWordBefore(snippet, i, typedFrom) };
        } else {
          // A name elsewhere in the file; past the insertion it has moved by what was inserted.
          const offset = this.randomOffset(text);
          yield { type: 'hover', offset: offset >= anchor ? offset + inserted : offset };
        }
      }
      if (this.random() < 0.02) yield { type: 'pause', ms: 200 + Math.floor(this.random() * 600) };
    }
    yield { type: 'pause', ms: 150 + Math.floor(this.random() * 500) };

    if (this.random() < 0.7) {
      // Changed one's mind: Ctrl+Backspace word by word, then the line break.
      const typed = `\n${indent}${snippet}${closers.reverse().join('')}`;
      let end = anchor + typed.length;
      for (const length of wordLengthsFromEnd(typed)) {
        end -= length;
        yield { type: 'delete', offset: end, length };
      }
    }
  }

  private *pasteAndMaybeUndo(text: string): Generator<TypingStep> {
    const block = this.balancedBlock(text);
    if (!block) return;
    const pasted = `\n${block}`;
    // Bindings go after a binding or an opening brace, not into a list.
    const at = this.placeToType(text, /[;{]\s*$/);
    yield { type: 'insert', offset: at, text: pasted };
    yield { type: 'pause', ms: 300 };
    if (this.random() < 0.6) yield { type: 'delete', offset: at, length: pasted.length };
  }

  /**
   * 3 to 30 whole lines whose brackets and strings are balanced, as people copy a binding or a
   * list: an unbalanced paste that stays would leave the rest of the file broken for good.
   */
  private balancedBlock(text: string): string | undefined {
    const lines = text.split('\n');
    for (let attempt = 0; attempt < 20; attempt++) {
      const first = Math.floor(this.random() * lines.length);
      let depth = 0;
      let quotes = 0;
      let indentedStrings = 0;
      for (let last = first; last < Math.min(lines.length, first + 30); last++) {
        indentedStrings += lines[last].split("''").length - 1;
        for (const char of lines[last]) {
          if (char === '"') quotes++;
          else if ('{[('.includes(char)) depth++;
          else if ('}])'.includes(char)) depth--;
        }
        if (depth < 0) break;
        if (depth === 0 && quotes % 2 === 0 && indentedStrings % 2 === 0 && last - first >= 2 && /;\s*$/.test(lines[last])) return lines.slice(first, last + 1).join('\n');
      }
    }
    return undefined;
  }

  /** The end of a random line that ends in `;`, `{` or `[` (the end of the text when none does). */
  private placeToType(text: string, lineEnd = /[;{[]\s*$/): number {
    for (let attempt = 0; attempt < 200; attempt++) {
      const end = text.indexOf('\n', Math.floor(this.random() * text.length));
      if (end <= 0) continue;
      if (lineEnd.test(text.slice(Math.max(0, end - 3), end))) return end;
    }
    return text.length;
  }

  /** An offset in the middle of the name the cursor has just passed (in the typed snippet). */
  private inWordBefore(snippet: string, index: number, typedFrom: number): number {
    let end = index;
    while (end >= 0 && !NAME_CHAR.test(snippet[end])) end--;
    let start = end;
    while (start > 0 && NAME_CHAR.test(snippet[start - 1])) start--;
    return typedFrom + Math.max(0, Math.floor((start + end) / 2));
  }

  /** Somewhere in a name of the text as the session began (all of it still there). */
  private randomOffset(text: string): number {
    for (let attempt = 0; attempt < 50; attempt++) {
      const offset = Math.floor(this.random() * text.length);
      if (NAME_CHAR.test(text[offset] ?? '')) return offset;
    }
    return 0;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
}

/** The lengths Ctrl+Backspace removes, from the end: trailing blanks go with the word before them. */
export function wordLengthsFromEnd(text: string): number[] {
  const lengths: number[] = [];
  let end = text.length;
  while (end > 0) {
    let start = end;
    while (start > 0 && /\s/.test(text[start - 1])) start--;
    if (start > 0 && NAME_CHAR.test(text[start - 1])) {
      while (start > 0 && NAME_CHAR.test(text[start - 1])) start--;
    } else if (start > 0) {
      start--;
    }
    lengths.push(end - start);
    end = start;
  }
  return lengths;
}
