// The language features: each handler finds the document, asks a feature function, and returns
// its plain answer. Flake documents get the flake features first.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, ResponseError, type CodeAction, type CodeLens, type CompletionItem, type CompletionList, type Connection, type Hover, type TextDocumentPositionParams } from 'vscode-languageserver';
import type { Analysis } from './analysis/analysis';
import { contextAt } from './analysis/context';
import { buildLenses } from './features/build/buildLenses';
import { hashFixActions } from './features/build/hashFix';
import { buildSyntaxTree } from './analysis/syntaxTree';
import { declarationLines, diskFiles, evaluatedDeclarationFiles, indexDefinition } from './features/indexDefinition';
import { StoreFiles } from './nix/storeFiles';
import { WebDeclarationAnchors } from './features/webDeclarationAnchors';
import { fetchSmallText } from './knowledge/httpText';
import { knowledgeQuickFixes } from './features/knowledgeDiagnostics';
import { completionsFor } from './features/completion';
import { itemData, withItemDefaults } from './completionItemDefaults';
import { keywordCompletions } from './features/keywordCompletion';
import { pathCompletions, type DirectoryEntry } from './features/pathCompletion';
import { LineIndex } from './analysis/lineIndex';
import { documentSymbols } from './features/documentSymbols';
import { flakeCodeLenses } from './features/flake/flakeCodeLens';
import { flakeCompletions } from './features/flake/flakeCompletion';
import { flakeHover } from './features/flake/flakeHover';
import { inputModuleAt, inputModuleLocation } from './features/flake/inputModules';
import { foldingRanges } from './features/foldingRanges';
import { completionDocumentation, hoverFor } from './features/hover';
import { definitionAt } from './features/local/definition';
import { flakeInputDefinition } from './features/navigation/flakeInputDefinition';
import { packageDefinition } from './features/navigation/packageDefinition';
import { pathDefinition } from './features/navigation/pathDefinition';
import { withDefinition } from './features/navigation/withDefinition';
import { documentLinks } from './features/local/documentLinks';
import { localQuickFixes } from './features/local/quickFixes';
import { highlightsAt, referencesAt } from './features/local/references';
import { prepareRename, renameAt } from './features/local/rename';
import { nurQuickFixes } from './features/nur/nurQuickFixes';
import { selectionRanges } from './features/selectionRanges';
import { isFlakeDocument } from './flakeDocuments';
import { refactorActions } from './refactorActions';
import type { ServerState } from './serverState';
import { CONFIGURATIONS_NOTIFICATION, withDocumentUri } from './configurationState';
import type { NixDocument } from './syntax/document';
import { parseNix } from './syntax/grammarText';
import { registerWorkspaceHandlers, workspaceDefinition, workspaceOptionHover, workspaceReferences, workspaceRename } from './workspaceNavigation';

export function registerLanguageHandlers(connection: Connection, state: ServerState): void {
  /** Each open document's line index for its current text, shared by the requests about it. */
  const lineIndexes = new WeakMap<NixDocument, { text: string; lines: LineIndex }>();
  const linesOf = (document: NixDocument): LineIndex => {
    const text = document.content;
    const kept = lineIndexes.get(document);
    if (kept?.text === text) return kept.lines;
    const lines = new LineIndex(text);
    lineIndexes.set(document, { text, lines });
    return lines;
  };
  /** What is at the cursor, for completion and hover. */
  const cursorContext = (document: NixDocument, offset: number) =>
    contextAt(document.tree, document.content, offset, {
      parser: state.services?.parser,
      builtins: state.builtins,
      fileName: document.uri,
      module: state.configurations?.moduleOf(document.uri),
      lines: linesOf(document),
    });
  /** Store files the user's Nix may keep out of sight (a chroot, a container): read through it. */
  const storeFiles = new StoreFiles({ nix: () => state.services?.nixProgram('nix') ?? 'nix', env: () => state.services?.nixEnv() ?? process.env });
  /** Files options are declared in, parsed with the server's parser (a copy: the tree is freed at once). */
  const declarationFiles = diskFiles((text) => {
    const parser = state.services?.parser;
    const tree = parser && parseNix(parser, text);
    if (!tree) return undefined;
    try {
      return buildSyntaxTree(tree, text);
    } finally {
      tree.delete();
    }
  }, (path) => storeFiles.read(path));
  const declarationLine = declarationLines(declarationFiles);
  const sources = (document?: NixDocument, uri = document?.uri) => ({
    declarationLine,
    knowledge: state.queriesFor(uri),
    builtins: state.builtins,
    nurRepoForUrl: state.nurRepoForUrl,
    inputModules: document && ((input: string) => state.modulesOfInput(document.uri, input)),
  });

  connection.onCompletion(({ textDocument, position }): CompletionItem[] | CompletionList | null => {
    const document = state.openDocument(textDocument.uri);
    if (!document) return null;
    const flakes = state.flakes;
    if (flakes && isFlakeDocument(document.uri)) {
      const items = flakeCompletions({
        document,
        position,
        parser: state.services?.parser,
        syntax: flakes.syntax(document),
        lock: flakes.lock(document.uri),
        nurRepos: () => state.nurRepoList(),
        now: new Date(),
      });
      if (items) return items;
    }
    const offset = document.offsetAt(position);
    const context = cursorContext(document, offset);
    const extra = [
      ...keywordCompletions(context),
      ...pathCompletions({ context, text: document.content, offset, lines: linesOf(document), documentUri: document.uri, list: listDirectory }),
    ];
    const list = withDocumentUri(completionsFor(context, sources(document)), document.uri);
    const all = extra.length ? { isIncomplete: list?.isIncomplete ?? false, items: [...(list?.items ?? []), ...extra] } : list;
    return state.client.completionItemDefaults ? withItemDefaults(all, state.client.completionItemDefaults) : all;
  });

  connection.onCompletionResolve((item) => {
    const data = itemData(item);
    if (data && !item.documentation) item.documentation = completionDocumentation(data, sources(undefined, data.kind === 'option' ? data.uri : undefined));
    return item;
  });

  connection.onHover(({ textDocument, position }): Hover | null => {
    const document = state.openDocument(textDocument.uri);
    if (!document) return null;
    const flakes = state.flakes;
    if (flakes && isFlakeDocument(document.uri)) {
      const hover = flakeHover({ syntax: flakes.syntax(document), lock: flakes.lock(document.uri), position, now: new Date() });
      if (hover) return hover;
    }
    return hoverFor(cursorContext(document, document.offsetAt(position)), sources(document)) ?? workspaceOptionHover(state, document, position);
  });

  /** The option path of the name under the cursor, when the cursor context is one. */
  const optionPathAt = (document: NixDocument, position: { line: number; character: number }) => {
    const context = cursorContext(document, document.offsetAt(position));
    return context.kind === 'option' && context.word ? context.hoverPath : undefined;
  };

  const withAnalysis = <T>(uri: string, answer: (document: NixDocument, analysis: Analysis) => T): T | null => {
    const document = state.openDocument(uri);
    return document ? answer(document, state.analysisOf(document)) : null;
  };

  const definitionOf = ({ textDocument, position }: TextDocumentPositionParams) =>
    withAnalysis(textDocument.uri, (document, analysis) => {
      const offset = document.offsetAt(position);
      const context = cursorContext(document, offset);
      // An option set here is defined by its declaration; the binding's own key is no answer.
      const inWorkspace = workspaceDefinition(state, document, position, context.kind === 'option' ? context.hoverPath : undefined);
      if (inWorkspace.length > 0) return inWorkspace;
      const declared = context.kind === 'option' ? indexDefinition(context, state.queriesFor(document.uri), declarationFiles) : [];
      if (declared.length > 0) return declared;
      // An input read in `outputs` is declared in `inputs`, not by the formal that receives it.
      const input = flakeInputDefinition(analysis, document.uri, offset);
      if (input.length > 0) return input;
      const local = definitionAt(analysis, document.uri, offset);
      if (local.length > 0) return local;
      const module = inputModuleAt(context, sources(document).inputModules);
      const moduleLocation = module && inputModuleLocation(module.module);
      if (moduleLocation) return [moduleLocation];
      const elsewhere = [withDefinition, (a: Analysis, uri: string, at: number) => pathDefinition(a, uri, at, isFile)];
      for (const find of elsewhere) {
        const found = find(analysis, document.uri, offset);
        if (found.length > 0) return found;
      }
      const source = packageDefinition(context, state.knowledge);
      return source.length > 0 ? source : indexDefinition(context, state.queriesFor(document.uri), declarationFiles);
    });
  const webAnchors = new WebDeclarationAnchors({
    fetchText: (url) => (state.settings.offline ? Promise.resolve(undefined) : fetchSmallText(url)),
    parse: (text) => declarationFiles.parse(text),
  });
  connection.onDefinition(async (params) => {
    const opened = state.openDocument(params.textDocument.uri);
    if (opened) await storeFiles.fetch(evaluatedDeclarationFiles(cursorContext(opened, opened.offsetAt(params.position)), state.queriesFor(opened.uri)));
    const found = definitionOf(params);
    // An option's declaration on GitHub gets its line when the file's text can be had.
    if (!found?.some((location) => location.uri.startsWith('https:'))) return found;
    const document = state.openDocument(params.textDocument.uri);
    const context = document && cursorContext(document, document.offsetAt(params.position));
    const loc = context?.kind === 'option' ? state.knowledge?.lookupOption(context.tree, context.hoverPath)?.loc : undefined;
    return loc ? webAnchors.anchor(found, loc) : found;
  });
  connection.onReferences(({ textDocument, position, context }) =>
    withAnalysis(
      textDocument.uri,
      (document, analysis) =>
        workspaceReferences(state, document, position, context.includeDeclaration) ?? referencesAt(analysis, document.uri, document.offsetAt(position), context.includeDeclaration),
    ),
  );
  connection.onDocumentHighlight(({ textDocument, position }) =>
    withAnalysis(textDocument.uri, (document, analysis) => highlightsAt(analysis, document.offsetAt(position))),
  );
  connection.onPrepareRename(({ textDocument, position }) =>
    withAnalysis(textDocument.uri, (document, analysis) => {
      const inWorkspace = workspaceRename(state, document, position, optionPathAt(document, position));
      if (inWorkspace) return { range: inWorkspace.range, placeholder: inWorkspace.placeholder };
      const result = prepareRename(analysis, document.offsetAt(position));
      if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
      return result;
    }),
  );
  connection.onRenameRequest(({ textDocument, position, newName }) =>
    withAnalysis(textDocument.uri, (document, analysis) => {
      const inWorkspace = workspaceRename(state, document, position, optionPathAt(document, position), newName);
      if (inWorkspace?.edit) return inWorkspace.edit;
      const result = renameAt(analysis, document.uri, document.offsetAt(position), newName);
      if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
      return result.edit;
    }),
  );
  connection.onDocumentLinks(({ textDocument }) =>
    withAnalysis(textDocument.uri, (document, analysis) => documentLinks(analysis, document.uri, isFile)),
  );

  connection.onDocumentSymbol(({ textDocument }) => {
    const document = state.openDocument(textDocument.uri);
    return document ? documentSymbols(document.tree) : null;
  });

  connection.onFoldingRanges(({ textDocument }) => {
    const document = state.openDocument(textDocument.uri);
    return document ? foldingRanges(document.tree) : null;
  });

  connection.onSelectionRanges(({ textDocument, positions }) => {
    const document = state.openDocument(textDocument.uri);
    return document ? selectionRanges(document.tree, positions.map((position) => document.offsetAt(position))) : null;
  });

  connection.onCodeLens(({ textDocument }): CodeLens[] | null => {
    const document = state.openDocument(textDocument.uri);
    if (!document) return null;
    const lenses: CodeLens[] = buildLenses(document).map((lens) => ({
      range: lens.range,
      command: { title: lens.title, command: 'nixNur.build', arguments: [lens.params] },
    }));
    const flakes = state.flakes;
    if (flakes && isFlakeDocument(document.uri)) {
      lenses.push(...flakeCodeLenses({ syntax: flakes.syntax(document), lock: flakes.lock(document.uri), flakeUri: document.uri, now: new Date() }));
    }
    return lenses;
  });

  connection.onCodeAction(({ textDocument, context, range }): CodeAction[] => {
    const document = state.openDocument(textDocument.uri);
    const textAt = document
      ? (at: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
          document.content.slice(document.offsetAt(at.start), document.offsetAt(at.end))
      : undefined;
    const local = document ? localQuickFixes(state.analysisOf(document), document.uri, range, state.localDiagnosticsOptions()) : [];
    return [
      ...hashFixActions(textDocument.uri, context.diagnostics, textAt),
      ...nurQuickFixes(textDocument.uri, context.diagnostics),
      ...knowledgeQuickFixes(textDocument.uri, context.diagnostics),
      ...local,
      ...(document ? refactorActions(document, state.analysisOf(document), range, context, { createFiles: !!state.client.createFiles, ignore: state.settings.diagnostics.ignore, log: (m) => state.log(m) }) : []),
    ];
  });

  connection.onRequest('nixNur/status', () => state.knowledge?.status() ?? null);
  connection.onRequest(CONFIGURATIONS_NOTIFICATION, () => ({ configurations: state.configurations?.status() ?? [] }));
  registerWorkspaceHandlers(connection, state);
}

function listDirectory(directory: string): DirectoryEntry[] | undefined {
  try {
    return readdirSync(directory, { withFileTypes: true }).map((entry) => ({
      name: entry.name,
      // A link to a directory is one for `import` too.
      isDirectory: entry.isDirectory() || (entry.isSymbolicLink() && statSync(join(directory, entry.name), { throwIfNoEntry: false })?.isDirectory() === true),
    }));
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
