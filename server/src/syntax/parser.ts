// Loads web-tree-sitter and the tree-sitter-nix grammar (both wasm) once per process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { registerTreeSitterRuntime } from './treeWalker';

export interface ParserFiles {
  /** web-tree-sitter's own runtime, `tree-sitter.wasm`. */
  runtime: string;
  /** The Nix grammar, `tree-sitter-nix.wasm`. */
  grammar: string;
}

/**
 * Where the wasm files are: next to the bundled server (`dist/`), or in `node_modules` when the
 * sources run directly (tests). The bundle is tried first so an installed server never depends
 * on a development tree.
 */
export function findParserFiles(searchDirs: string[] = defaultSearchDirs()): ParserFiles {
  for (const dir of searchDirs) {
    const runtime = join(dir, 'tree-sitter.wasm');
    const grammar = join(dir, 'tree-sitter-nix.wasm');
    if (existsSync(runtime) && existsSync(grammar)) return { runtime, grammar };
  }
  const modules = join(process.cwd(), 'node_modules');
  const runtime = join(modules, 'web-tree-sitter', 'tree-sitter.wasm');
  const grammar = join(modules, '@cursorless', 'tree-sitter-wasms', 'out', 'tree-sitter-nix.wasm');
  if (existsSync(runtime) && existsSync(grammar)) return { runtime, grammar };
  throw new Error(`tree-sitter wasm files not found (looked in ${[...searchDirs, modules].join(', ')})`);
}

function defaultSearchDirs(): string[] {
  const dirs: string[] = [];
  // In the esbuild bundle this is the directory of dist/server.js.
  if (typeof __dirname === 'string') dirs.push(__dirname);
  dirs.push(join(process.cwd(), 'dist'));
  return dirs;
}

let loading: Promise<Language> | undefined;

/** The Nix language, loaded once; later calls share the same promise. */
export function loadNixLanguage(files: ParserFiles = findParserFiles()): Promise<Language> {
  loading ??= (async () => {
    // This object becomes the runtime's module, which whole-tree walks use directly (treeWalker.ts).
    const runtime = { locateFile: () => files.runtime };
    await Parser.init(runtime);
    const language = await Language.load(files.grammar);
    const parser = new Parser();
    parser.setLanguage(language);
    registerTreeSitterRuntime(runtime, parser);
    parser.delete();
    return language;
  })();
  return loading;
}

/** A parser for Nix. Parsers are cheap; each document store keeps one. */
export async function createNixParser(files?: ParserFiles): Promise<Parser> {
  const language = await loadNixLanguage(files);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
