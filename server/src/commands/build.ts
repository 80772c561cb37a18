// `nixNur.build`, `nixNur.listBuildables`, `nixNur.showBuildLog`: the build feature as commands.
import { CommandArgumentError, commandArgument, type CommandContext, type CommandRegistry } from '../commandRegistry';
import { BuildLogStore } from '../features/build/buildLogStore';
import { listBuildables } from '../features/build/buildables';
import { runBuild } from '../features/build/runBuild';
import type { Services } from '../services';

export const BUILD_DIAGNOSTICS_ORIGIN = 'build';

export function registerBuildCommands(registry: CommandRegistry, services: Services): void {
  const logs = new BuildLogStore();

  registry.register(
    'nixNur.build',
    async (args, context: CommandContext) => {
      const params = commandArgument(args);
      let progress: ReturnType<CommandContext['progress']> | undefined;
      const result = await runBuild(params, {
        capabilities: await services.nix(),
        tools: services.nixTools(),
        signal: context.signal,
        onLogLine: context.output,
        logs,
        parser: services.parser,
        documentFor: (path) => services.documents.byPath(path),
        progress: {
          begin: (title, cancellable) => (progress = context.progress(title, cancellable)),
          report: (message, percentage) => progress?.report(message, percentage),
          end: (message) => progress?.done(message),
        },
      });
      // A finished build replaces what the previous one said; a cancelled one says nothing new.
      if (result.status !== 'cancelled') services.publishExternal(BUILD_DIAGNOSTICS_ORIGIN, result.diagnostics);
      return result;
    },
    { needsTrust: true },
  );

  registry.register(
    'nixNur.listBuildables',
    async (args, context) => {
      const params = commandArgument(args);
      if (typeof params.cwd !== 'string') throw new CommandArgumentError("nixNur.listBuildables needs { cwd: '<file URI of a directory>' }");
      return listBuildables({ cwd: params.cwd }, { capabilities: await services.nix(), tools: services.nixTools(), signal: context.signal });
    },
    { needsTrust: true },
  );

  registry.register(
    'nixNur.showBuildLog',
    async (args) => {
      const { logId } = commandArgument(args);
      const log = typeof logId === 'string' ? logs.get(logId) : undefined;
      if (!log) throw new CommandArgumentError('That build log is no longer kept.');
      return { title: log.title, text: log.text() };
    },
    { needsTrust: false },
  );
}
