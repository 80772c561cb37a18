// Input names arrive from editors (command arguments) and end up as Nix arguments and lock-file
// keys, so they are checked before anything else sees them.

/** Why `name` cannot be used as a flake input name, or undefined when it can. */
export function inputNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'an input name must be a non-empty string';
  if (name.includes('/')) return `input name '${name}' must not contain '/'`;
  if (name.includes('..')) return `input name '${name}' must not contain '..'`;
  if (name.startsWith('-')) return `input name '${name}' must not start with '-'`;
  // Whitespace, quotes and control characters never appear in a real input name and would only
  // make messages and argument vectors confusing.
  if (/[\s"`\\$\u0000-\u001f\u007f]/.test(name)) return `input name '${name}' contains characters an input name cannot have`;
  return undefined;
}

export function isValidInputName(name: unknown): name is string {
  return inputNameProblem(name) === undefined;
}
