// Every request's params are checked against the shape LSP defines before a handler sees them:
// a client that sends `{}` for a hover, or a position of `null`, gets -32602 (InvalidParams) and a
// sentence that says what is wrong — not -32603 and a JavaScript TypeError from deep inside.
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';

type Check = (params: unknown) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isIndex = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;

function positionProblem(value: unknown, what: string): string | undefined {
  if (!isObject(value) || !isIndex(value.line) || !isIndex(value.character)) return `'${what}' must be { line, character } with whole numbers from 0.`;
  return undefined;
}

function rangeProblem(value: unknown, what: string): string | undefined {
  if (!isObject(value)) return `'${what}' must be { start, end }.`;
  return positionProblem(value.start, `${what}.start`) ?? positionProblem(value.end, `${what}.end`);
}

const document: Check = (params) => {
  if (!isObject(params)) return 'The params must be an object.';
  if (!isObject(params.textDocument) || typeof params.textDocument.uri !== 'string') return "'textDocument' must be { uri } with the document's URI.";
  return undefined;
};

const all =
  (...checks: Check[]): Check =>
  (params) => {
    for (const check of checks) {
      const problem = check(params);
      if (problem) return problem;
    }
    return undefined;
  };
const field =
  (name: string, check: (value: unknown, what: string) => string | undefined): Check =>
  (params) =>
    check((params as Record<string, unknown>)[name], name);

const atPosition = all(document, field('position', positionProblem));

/** The shape each request's params must have, by the `connection.on…` method that registers it. */
const checks: Record<string, Check> = {
  onCompletion: atPosition,
  onCompletionResolve: (params) => (isObject(params) && typeof params.label === 'string' ? undefined : 'A completion item must be an object with a label.'),
  onHover: atPosition,
  onDefinition: atPosition,
  onReferences: all(atPosition, field('context', (value, what) => (isObject(value) ? undefined : `'${what}' must be { includeDeclaration }.`))),
  onDocumentHighlight: atPosition,
  onPrepareRename: atPosition,
  onRenameRequest: all(atPosition, field('newName', (value, what) => (typeof value === 'string' ? undefined : `'${what}' must be a string.`))),
  onDocumentLinks: document,
  onDocumentSymbol: document,
  onFoldingRanges: document,
  onSelectionRanges: all(
    document,
    field('positions', (value, what) =>
      Array.isArray(value) ? value.map((position, i) => positionProblem(position, `${what}[${i}]`)).find(Boolean) : `'${what}' must be a list of positions.`,
    ),
  ),
  onCodeLens: document,
  onCodeAction: all(
    document,
    field('range', rangeProblem),
    field('context', (value, what) => (isObject(value) && Array.isArray(value.diagnostics) ? undefined : `'${what}' must be { diagnostics: [...] }.`)),
  ),
  onExecuteCommand: (params) =>
    isObject(params) && typeof params.command === 'string' && (params.arguments === undefined || Array.isArray(params.arguments))
      ? undefined
      : "executeCommand needs { command: '<name>', arguments?: [...] }.",
};

/**
 * The connection, with every handler registered through one of the `on…` methods above answering
 * params of the wrong shape with -32602 before it runs.
 */
export function checkingParams(connection: Connection): Connection {
  return new Proxy(connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      const check = typeof property === 'string' ? checks[property] : undefined;
      if (!check || typeof value !== 'function') return value;
      return (handler: (params: unknown, ...rest: unknown[]) => unknown) =>
        value.call(target, (params: unknown, ...rest: unknown[]) => {
          const problem = check(params);
          if (problem) throw new ResponseError(ErrorCodes.InvalidParams, problem);
          return handler(params, ...rest);
        });
    },
  });
}
