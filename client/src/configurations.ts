// The workspace's configurations in the status bar: how many are loaded, which is evaluating,
// which failed and why; a click lists them, and "Nix: Re-evaluate Configurations" evaluates them
// again. The server pushes `nixNur/configurations` whenever one changes.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface ConfigurationStatus {
  id: string;
  phase: 'queued' | 'evaluating' | 'ready' | 'failed';
  options?: number;
  error?: string;
  needsNewerNix?: { required: string; installed: string };
  skipped?: number;
}

export function registerConfigurationStatus(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('nixNur.configurations', vscode.StatusBarAlignment.Right, 99);
  item.name = 'Nix configurations';
  item.command = 'nixNur.showConfigurations';
  context.subscriptions.push(item);
  let latest: ConfigurationStatus[] = [];
  const show = (list: ConfigurationStatus[]) => {
    latest = list;
    render(item, list);
  };
  context.subscriptions.push(client.onNotification('nixNur/configurations', (params: { configurations: ConfigurationStatus[] }) => show(params.configurations)));
  void client.sendRequest('nixNur/configurations').then(
    (answer) => show((answer as { configurations: ConfigurationStatus[] }).configurations),
    () => undefined,
  );

  const reevaluate = async () => {
    if (!vscode.workspace.isTrusted) {
      return void vscode.window.showWarningMessage('Nix: configurations are evaluated only in a trusted workspace.');
    }
    await client.sendRequest('workspace/executeCommand', { command: 'nixNur.configurations.reevaluate', arguments: [{}] });
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('nixNur.reevaluateConfigurations', reevaluate),
    vscode.commands.registerCommand('nixNur.showConfigurations', async () => {
      const picked = await vscode.window.showQuickPick(
        [
          ...latest.map((c) => ({ label: `${icon(c)} ${c.id}`, description: describe(c), detail: c.error })),
          { label: '$(refresh) Re-evaluate Configurations', description: 'ignore the cache', reevaluate: true },
        ],
        { title: latest.length ? 'Nix configurations' : 'Nix: no configurations found (or the workspace is not trusted)' },
      );
      if (picked && 'reevaluate' in picked) await reevaluate();
    }),
  );
}

function render(item: vscode.StatusBarItem, list: ConfigurationStatus[]): void {
  if (list.length === 0) return void item.hide();
  const evaluating = list.filter((c) => c.phase === 'evaluating' || c.phase === 'queued');
  const failed = list.filter((c) => c.phase === 'failed');
  if (evaluating.length > 0) item.text = `$(sync~spin) Nix: evaluating ${evaluating.map((c) => c.id).join(', ')}`;
  else if (failed.length > 0) item.text = `$(warning) Nix: ${failed.length} of ${list.length} configuration${list.length > 1 ? 's' : ''} failed`;
  else item.text = `$(server) Nix: ${list.length} configuration${list.length > 1 ? 's' : ''}`;
  item.tooltip = list.map((c) => `${c.id}: ${describe(c)}${c.error ? ` — ${c.error}` : ''}`).join('\n');
  item.show();
}

function describe(c: ConfigurationStatus): string {
  const count = c.options !== undefined ? `${c.options.toLocaleString()} options` : undefined;
  switch (c.phase) {
    case 'ready':
      return count ?? 'ready';
    case 'failed':
      return c.needsNewerNix ? `needs Nix ${c.needsNewerNix.required} (installed: ${c.needsNewerNix.installed}); channel options in use` : `failed${count ? `; last good set: ${count}` : ''}`;
    default:
      return `${c.phase}${count ? `; meanwhile ${count}` : ''}`;
  }
}

function icon(c: ConfigurationStatus): string {
  return { queued: '$(clock)', evaluating: '$(sync~spin)', ready: '$(check)', failed: '$(error)' }[c.phase];
}
