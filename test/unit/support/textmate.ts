import { readFileSync } from 'node:fs';
import path from 'node:path';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';

export interface ScopedToken {
  text: string;
  /** Zero-based line the token sits on. */
  line: number;
  /** Outermost first, as an editor theme sees them. */
  scopes: string[];
}

export const repositoryRoot = process.cwd();
export const grammarPath = path.join(repositoryRoot, 'syntaxes', 'nix.tmLanguage.json');
export const languageConfigurationPath = path.join(repositoryRoot, 'language-configuration.json');

let onigurumaReady: Promise<void> | undefined;

/** The WASM engine is process-wide and refuses a second initialisation, so every caller shares one load. */
export function loadOniguruma(): Promise<void> {
  onigurumaReady ??= (async () => {
    const wasm = readFileSync(path.join(repositoryRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  })();
  return onigurumaReady;
}

export async function loadNixGrammar(): Promise<textmate.IGrammar> {
  await loadOniguruma();
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.nix' ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar('source.nix');
  if (!grammar) throw new Error(`could not load ${grammarPath}`);
  return grammar;
}

/**
 * Tokenizes line by line, carrying the rule stack across lines the way an editor does.
 * Neighbouring tokens with identical scopes are joined because an editor paints them as one run,
 * which keeps assertions independent of how a rule happens to split its match.
 */
export function tokenize(grammar: textmate.IGrammar, source: string): ScopedToken[] {
  const tokens: ScopedToken[] = [];
  let ruleStack = textmate.INITIAL;
  source.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, ruleStack);
    ruleStack = result.ruleStack;
    for (const token of result.tokens) {
      const text = lineText.slice(token.startIndex, token.endIndex);
      if (text === '') continue;
      const previous = tokens.at(-1);
      if (previous && previous.line === line && sameScopes(previous.scopes, token.scopes)) {
        previous.text += text;
      } else {
        tokens.push({ text, line, scopes: token.scopes });
      }
    }
  });
  return tokens;
}

function sameScopes(left: string[], right: string[]): boolean {
  return left.length === right.length && left.every((scope, index) => scope === right[index]);
}

/** Finds the `occurrence`-th token whose text is exactly `text`, failing loudly with the whole line-up otherwise. */
export function tokenWithText(tokens: ScopedToken[], text: string, occurrence = 0): ScopedToken {
  const matches = tokens.filter((token) => token.text === text);
  const found = matches[occurrence];
  if (!found) {
    const lineUp = tokens.map((token) => `${JSON.stringify(token.text)} ${token.scopes.slice(1).join(' ')}`).join('\n');
    throw new Error(`no token ${JSON.stringify(text)} (occurrence ${occurrence}) among:\n${lineUp}`);
  }
  return found;
}

export function innermostScope(token: ScopedToken): string {
  return token.scopes[token.scopes.length - 1];
}

/** Every regular expression in a grammar, with a JSON-pointer-like location for error messages. */
export function collectGrammarRegexes(node: unknown, location = ''): { location: string; source: string }[] {
  if (Array.isArray(node)) return node.flatMap((child, index) => collectGrammarRegexes(child, `${location}/${index}`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const here = `${location}/${key}`;
    if (['match', 'begin', 'end', 'while'].includes(key) && typeof value === 'string') return [{ location: here, source: value }];
    return collectGrammarRegexes(value, here);
  });
}
