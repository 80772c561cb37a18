// `nixNur.flake.update`, `nixNur.flake.pin`, `nixNur.flake.unpin` as server commands.
import { CommandArgumentError, CommandError, commandArgument, type CommandContext, type CommandRegistry } from '../commandRegistry';
import { isFailure, locateFlake, readFlakeState, type FlakeCommandDeps, type FlakeCommandFailure } from '../features/flake/flakeCommandSupport';
import { flakeInputList } from '../features/flake/flakeInputList';
import { pinFlakeInput, unpinFlakeInput, type FlakeEditDeps } from '../features/flake/flakePinCommand';
import { updateFlakeInputs } from '../features/flake/flakeUpdateCommand';
import { confineTarget, WriteScopeError } from '../features/writeScope';
import type { Services } from '../services';
import type { SavedEditApplier } from '../workspaceEdits';

/** A flake command's failure as the error answered; bad arguments as -32602. */
function failureError(failure: FlakeCommandFailure): CommandError {
  return failure.code === 'invalid-arguments' ? new CommandArgumentError(failure.message, failure) : new CommandError(failure.message, failure);
}

export function registerFlakeCommands(
  registry: CommandRegistry,
  services: Services,
  applyEdit: SavedEditApplier,
  /** The lock changed: refresh whatever shows it (diagnostics, lenses). */
  lockChanged: (flakeUri: string) => void,
): void {
  const deps = async (context: CommandContext): Promise<FlakeCommandDeps> => ({
    capabilities: await services.nix(),
    parser: services.parser,
    nixPath: services.nixProgram('nix'),
    signal: context.signal,
  });
  const editDeps = async (context: CommandContext): Promise<FlakeEditDeps> => ({
    ...(await deps(context)),
    applyEdit,
    openDocument: (uri) => {
      const document = services.documents.get(uri);
      return document && { text: document.content, version: document.version };
    },
  });
  /**
   * Update, pin and unpin write flake.nix and flake.lock: only of a flake inside the workspace
   * folders, or whose flake.nix the user has open in the editor.
   */
  const assertWritable = (flake: unknown, context: CommandContext) => {
    const location = locateFlake(flake);
    if (isFailure(location) || services.documents.byPath(location.flakeNix)) return;
    try {
      confineTarget(location.directory, { folders: services.workspaceFolders(), trusted: context.trusted }, 'flake');
    } catch (error) {
      if (error instanceof WriteScopeError) throw new CommandArgumentError(error.message);
      throw error;
    }
  };
  const finish = <T>(flake: unknown, result: T | FlakeCommandFailure): T => {
    if (typeof flake === 'string') lockChanged(flake);
    if (isFailure(result)) throw failureError(result);
    return result;
  };

  // Reads flake.nix and flake.lock only; nothing is evaluated.
  registry.register(
    'nixNur.flake.inputs',
    async (args) => {
      const location = locateFlake(commandArgument(args).flake);
      if (isFailure(location)) throw failureError(location);
      const state = readFlakeState(location, services.parser);
      return { inputs: flakeInputList(state.syntax, state.lock, new Date()) };
    },
    { needsTrust: false },
  );

  registry.register(
    'nixNur.flake.update',
    async (args, context) => {
      const params = commandArgument(args);
      assertWritable(params.flake, context);
      const progress = context.progress(params.input ? `Updating flake input ${String(params.input)}` : 'Updating flake inputs');
      try {
        return finish(params.flake, await updateFlakeInputs(params as never, await deps(context)));
      } finally {
        progress.done();
      }
    },
    { needsTrust: true },
  );
  registry.register(
    'nixNur.flake.pin',
    async (args, context) => {
      const params = commandArgument(args);
      assertWritable(params.flake, context);
      return finish(params.flake, await pinFlakeInput(params as never, await editDeps(context)));
    },
    { needsTrust: true },
  );
  registry.register(
    'nixNur.flake.unpin',
    async (args, context) => {
      const params = commandArgument(args);
      assertWritable(params.flake, context);
      return finish(params.flake, await unpinFlakeInput(params as never, await editDeps(context)));
    },
    { needsTrust: true },
  );
}
