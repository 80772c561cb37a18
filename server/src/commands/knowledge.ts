// `nixNur.search`, `nixNur.status`, `nixNur.refreshKnowledge`: the indexes as commands, for the
// "Nix: Search Packages and Options" picker and for editors that only speak executeCommand.
import { CommandArgumentError, CommandError, commandArgument, type CommandRegistry } from '../commandRegistry';
import { completionDocumentation } from '../features/hover';
import type { BuiltinsTable } from '../analysis/builtins';
import type { KnowledgeService, SearchSource } from '../knowledge/knowledgeService';

const SOURCES: readonly SearchSource[] = ['nixpkgs', 'nixos', 'home-manager', 'nur', 'nur-repo'];

export function registerKnowledgeCommands(registry: CommandRegistry, knowledge: () => KnowledgeService | undefined, builtins: () => BuiltinsTable): void {
  const service = () => {
    const current = knowledge();
    if (!current) throw new CommandError('The package and option indexes are not available yet.');
    return current;
  };

  registry.register(
    'nixNur.knowledge.search',
    async (args) => {
      const { query, limit, sources } = commandArgument(args);
      if (typeof query !== 'string') throw new CommandArgumentError("nixNur.knowledge.search needs { query: '…' }");
      const wanted = Array.isArray(sources) ? SOURCES.filter((s) => sources.includes(s)) : undefined;
      const results = service().search(query, { limit: typeof limit === 'number' ? limit : 50, sources: wanted });
      return { results };
    },
    { needsTrust: false },
  );

  registry.register(
    'nixNur.knowledge.describe',
    async (args) => {
      const { source, path } = commandArgument(args);
      if (!Array.isArray(path) || !path.every((p) => typeof p === 'string')) throw new CommandArgumentError('nixNur.knowledge.describe needs { source, path: string[] }');
      const data =
        source === 'nixos' || source === 'home-manager'
          ? ({ kind: 'option', scope: source, path } as const)
          : source === 'nur-repo'
            ? ({ kind: 'nurRepo', name: path.at(-1) ?? '' } as const)
            : ({ kind: 'package', path } as const);
      return { documentation: completionDocumentation(data, { knowledge: service(), builtins: builtins() }, { detailShown: false }) ?? null };
    },
    { needsTrust: false },
  );

  registry.register('nixNur.status', async () => service().status(), { needsTrust: false });

  registry.register(
    'nixNur.refreshKnowledge',
    async () => {
      service().refresh(undefined, true);
      return service().status();
    },
    { needsTrust: false },
  );
}
