// `nixNur.flake.update`, `nixNur.flake.pin`, `nixNur.flake.unpin` as server commands.
import { CommandError, commandArgument, type CommandContext, type CommandRegistry } from '../commandRegistry';
import { isFailure, locateFlake, readFlakeState, type FlakeCommandDeps, type FlakeCommandFailure } from '../features/flake/flakeCommandSupport';
import { flakeInputList } from '../features/flake/flakeInputList';
import { pinFlakeInput, unpinFlakeInput, type FlakeEditDeps } from '../features/flake/flakePinCommand';
import { updateFlakeInputs } from '../features/flake/flakeUpdateCommand';
import type { Services } from '../services';
import type { SavedEditApplier } from '../workspaceEdits';

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
  const finish = <T>(flake: unknown, result: T | FlakeCommandFailure): T => {
    if (typeof flake === 'string') lockChanged(flake);
    if (isFailure(result)) throw new CommandError(result.message, result);
    return result;
  };

  // Reads flake.nix and flake.lock only; nothing is evaluated.
  registry.register(
    'nixNur.flake.inputs',
    async (args) => {
      const location = locateFlake(commandArgument(args).flake);
      if (isFailure(location)) throw new CommandError(location.message, location);
      const state = readFlakeState(location, services.parser);
      return { inputs: flakeInputList(state.syntax, state.lock, new Date()) };
    },
    { needsTrust: false },
  );

  registry.register(
    'nixNur.flake.update',
    async (args, context) => {
      const params = commandArgument(args);
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
      return finish(params.flake, await pinFlakeInput(params as never, await editDeps(context)));
    },
    { needsTrust: true },
  );
  registry.register(
    'nixNur.flake.unpin',
    async (args, context) => {
      const params = commandArgument(args);
      return finish(params.flake, await unpinFlakeInput(params as never, await editDeps(context)));
    },
    { needsTrust: true },
  );
}
