// Random edits of Nix code as people make them, for replay tests: a letter typed into or deleted
// from a name, a letter typed into a string, a binding's line deleted or pasted elsewhere, and
// syntax broken for a keystroke (an opening brace, quote or parenthesis, a `;` dropped) and
// repaired by the next edit. Each edit is a replacement of `[from, to)` by `insert` in the text it
// was made for.

export interface NixEdit {
  kind: string;
  from: number;
  to: number;
  insert: string;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCXYZ_';

/** Applies an edit. */
export function applyEdit(text: string, edit: NixEdit): string {
  return text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
}

/** The edit that undoes `edit`, for the text before it. */
export function undoEdit(before: string, edit: NixEdit): NixEdit {
  return { kind: `undo ${edit.kind}`, from: edit.from, to: edit.from + edit.insert.length, insert: before.slice(edit.from, edit.to) };
}

/**
 * Edits one after the other, each made for the text the previous left: mostly single keystrokes,
 * every broken syntax repaired by the next edit.
 */
export function* randomEdits(text: string, random: () => number, count: number): Generator<NixEdit> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const letter = () => pick([...LETTERS]);
  for (let made = 0; made < count; made++) {
    const roll = random();
    let edit: NixEdit | undefined;
    if (roll < 0.35) {
      const word = pick(names(text));
      const at = word ? word.index + Math.floor(random() * (word.length + 1)) : 0;
      edit = { kind: 'type in a name', from: at, to: at, insert: letter() };
    } else if (roll < 0.5) {
      const word = pick(names(text).filter((name) => name.length >= 3));
      const at = word ? word.index + 1 + Math.floor(random() * (word.length - 1)) : 0;
      edit = word && { kind: 'delete in a name', from: at, to: at + 1, insert: '' };
    } else if (roll < 0.62) {
      const string = pick(matches(text, /"[^"\n$\\]*"/g));
      const at = string ? string.index + 1 + Math.floor(random() * (string.length - 1)) : 0;
      edit = string && { kind: 'type in a string', from: at, to: at, insert: pick([letter(), ' ', '-']) };
    } else if (roll < 0.72) {
      const line = pick(bindingLines(text));
      edit = line && { kind: 'delete a line', from: line.index, to: line.index + line.length, insert: '' };
    } else if (roll < 0.82) {
      const line = pick(bindingLines(text));
      const target = pick(bindingLines(text));
      edit = line && target && { kind: 'paste a line', from: target.index, to: target.index, insert: text.slice(line.index, line.index + line.length) };
    } else {
      const at = Math.floor(random() * text.length);
      const semicolon = text.indexOf(';', at);
      const broken: NixEdit =
        random() < 0.25 && semicolon >= 0
          ? { kind: 'drop a semicolon', from: semicolon, to: semicolon + 1, insert: '' }
          : { kind: 'break the syntax', from: at, to: at, insert: pick(['{', '"', '(', '[', 'let ', ' in ', '${']) };
      yield broken;
      made++;
      const before = text;
      text = applyEdit(text, broken);
      edit = undoEdit(before, broken);
    }
    if (!edit) continue;
    yield edit;
    text = applyEdit(text, edit);
  }
}

interface Match {
  index: number;
  length: number;
}

function matches(text: string, pattern: RegExp): Match[] {
  const found: Match[] = [];
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) found.push({ index: m.index, length: m[0].length });
  return found;
}

const KEYWORDS = new Set(['if', 'then', 'else', 'let', 'in', 'rec', 'with', 'inherit', 'assert', 'or']);

/** Words that are no keywords (typing into a keyword breaks the syntax for good). */
function names(text: string): Match[] {
  return matches(text, /[A-Za-z_][A-Za-z0-9_'-]*/g).filter((word) => !KEYWORDS.has(text.slice(word.index, word.index + word.length)));
}

/** Whole lines with their newline that hold one binding: deleting or pasting one keeps the syntax. */
function bindingLines(text: string): Match[] {
  return matches(text, /^[ \t]*[A-Za-z_"][^\n]*;[ \t]*\n/gm).filter((line) => balanced(text.slice(line.index, line.index + line.length)));
}

function balanced(line: string): boolean {
  const count = (c: string) => line.split(c).length - 1;
  return count('{') === count('}') && count('[') === count(']') && count('(') === count(')') && count('"') % 2 === 0 && !line.includes("''") && !/^\s*(if|then|else|in|let|with|assert)\b/.test(line);
}
