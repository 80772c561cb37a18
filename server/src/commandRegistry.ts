// The server's `workspace/executeCommand`s: each command is a plain async function of its
// arguments and a context (cancellation, progress, logs, trust); this registry adapts them to LSP.
export interface ProgressReporter {
  report(message: string, percentage?: number): void;
  done(message?: string): void;
}

export interface CommandContext {
  /** Aborted when the client cancels the request (or the progress, where it allows that). */
  signal: AbortSignal;
  /** Starts a progress indicator in the client. */
  progress(title: string, cancellable?: boolean): ProgressReporter;
  /** A line of a long-running command's output (a build log), shown in the client's output. */
  output(line: string): void;
  /** Whether the user trusts the workspace, i.e. its Nix code may be evaluated and built. */
  trusted: boolean;
}

/** An error whose message is meant for the user as is (bad arguments, a failed build, …). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The command's arguments are not what it takes: answered as -32602 (InvalidParams). */
export class CommandArgumentError extends CommandError {}

export type CommandHandler = (args: unknown, context: CommandContext) => Promise<unknown>;

export interface CommandDefinition {
  handler: CommandHandler;
  /** Evaluates or builds the workspace's Nix code: refused in an untrusted workspace. */
  needsTrust: boolean;
}

export class CommandRegistry {
  private readonly commands = new Map<string, CommandDefinition>();

  register(id: string, handler: CommandHandler, options: { needsTrust: boolean }): void {
    if (this.commands.has(id)) throw new Error(`command ${id} registered twice`);
    this.commands.set(id, { handler, needsTrust: options.needsTrust });
  }

  ids(): string[] {
    return [...this.commands.keys()].sort();
  }

  async execute(id: string, args: unknown, context: CommandContext): Promise<unknown> {
    const command = this.commands.get(id);
    if (!command) throw new CommandArgumentError(`Unknown command '${id}'`);
    if (command.needsTrust && !context.trusted) {
      throw new CommandError('This workspace is not trusted: Nix code in it is not evaluated or built until you trust it.');
    }
    return command.handler(args, context);
  }
}

/** Reads the single argument object LSP clients pass (`arguments: [{ … }]`). */
export function commandArgument(args: unknown): Record<string, unknown> {
  const first = Array.isArray(args) ? args[0] : args;
  if (first === undefined || first === null) return {};
  if (typeof first !== 'object' || Array.isArray(first)) throw new CommandArgumentError('Expected one object as the command argument');
  return first as Record<string, unknown>;
}
