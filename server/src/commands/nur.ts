// The NUR authoring commands: scaffold, add a package or module, check as NUR does, registration.
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { CommandArgumentError, CommandError, type CommandContext, type CommandRegistry } from '../commandRegistry';
import {
  addModuleCommand,
  addPackageCommand,
  checkCommand,
  findRepositoriesCommand,
  NurArgumentError,
  NurCommand,
  NurCommandError,
  registrationCommand,
  scaffoldCommand,
  type NurCommandContext,
} from '../features/nur/nurCommands';
import type { LookupRepo } from '../nur/registration';
import { runProcess } from '../nix/process';
import type { Services } from '../services';
import type { SavedEditApplier } from '../workspaceEdits';

export const NUR_CHECK_DIAGNOSTICS_ORIGIN = 'nur-check';

export function registerNurCommands(
  registry: CommandRegistry,
  services: Services,
  applyEdit: SavedEditApplier,
  lookupRepo: LookupRepo,
  /** A file on disk changed layout (a package or module added): forget cached repository roots. */
  repositoryChanged: () => void,
): void {
  const context = async (command: CommandContext): Promise<NurCommandContext> => ({
    run: runProcess,
    clock: () => new Date(),
    env: services.nixEnv(),
    parser: services.parser,
    capabilities: await services.nix(),
    openDocumentText: (path) => services.documents.byPath(path)?.content,
    lookupRepo,
    signal: command.signal,
    writeScope: { folders: services.workspaceFolders(), trusted: command.trusted },
  });
  /** NurCommandError is a message for the user as is. */
  const guarded = <T>(body: () => Promise<T>): Promise<T> =>
    body().catch((error: unknown) => {
      if (error instanceof NurArgumentError) throw new CommandArgumentError(error.message);
      if (error instanceof NurCommandError) throw new CommandError(error.message);
      throw error;
    });
  /** An edit the command could not write itself because the file is open in the editor. */
  const applyPending = async (pendingEdit: WorkspaceEdit | undefined) => {
    if (pendingEdit && !(await applyEdit(pendingEdit))) throw new CommandError('The editor did not apply the edit to default.nix.');
  };

  // Reads only the workspace's own files to find repositories: allowed untrusted.
  registry.register(NurCommand.findRepositories, async (args) => guarded(async () => findRepositoriesCommand(args, { parser: services.parser })), {
    needsTrust: false,
  });
  registry.register(NurCommand.scaffold, async (args, command) => guarded(async () => scaffoldCommand(args, await context(command))), {
    needsTrust: false,
  });
  registry.register(
    NurCommand.addPackage,
    async (args, command) =>
      guarded(async () => {
        const result = await addPackageCommand(args, await context(command));
        await applyPending(result.pendingEdit);
        repositoryChanged();
        return result;
      }),
    { needsTrust: false },
  );
  registry.register(
    NurCommand.addModule,
    async (args, command) =>
      guarded(async () => {
        const result = await addModuleCommand(args, await context(command));
        await applyPending(result.pendingEdit);
        repositoryChanged();
        return result;
      }),
    { needsTrust: false },
  );
  registry.register(
    NurCommand.check,
    async (args, command) =>
      guarded(async () => {
        const progress = command.progress('Checking the NUR repository as NUR does');
        try {
          const result = await checkCommand(args, await context(command));
          services.publishExternal(
            NUR_CHECK_DIAGNOSTICS_ORIGIN,
            result.diagnostics.map((file) => ({ uri: file.uri, diagnostics: file.diagnostics })),
          );
          return result;
        } finally {
          progress.done();
        }
      }),
    { needsTrust: true },
  );
  // Reads the repository's git configuration: only in a trusted workspace.
  registry.register(NurCommand.registration, async (args, command) => guarded(async () => registrationCommand(args, await context(command))), {
    needsTrust: true,
  });
}
