// `nixNur.configurations.reevaluate` and `nixNur.configurations.status`: the workspace's configurations
// evaluated again (ignoring the cache), and their state, for editors that only speak executeCommand.
import type { CommandRegistry } from '../commandRegistry';
import type { ConfigurationState } from '../configurationState';

export function registerConfigurationCommands(registry: CommandRegistry, configurations: () => ConfigurationState | undefined): void {
  registry.register(
    'nixNur.configurations.reevaluate',
    async () => ({ configurations: (await configurations()?.service.reevaluate()) ?? [] }),
    { needsTrust: true },
  );
  registry.register('nixNur.configurations.status', async () => ({ configurations: configurations()?.status() ?? [] }), { needsTrust: false });
}
