// The status bar item: which indexes are loaded, from where and how old; a click shows details.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface SourceStatus {
  label: string;
  state: 'off' | 'loading' | 'ready' | 'failed' | 'offline-cache';
  origin?: string;
  location?: string;
  ageSeconds?: number;
  count?: number;
  message?: string;
}

interface KnowledgeStatus {
  sources: SourceStatus[];
  cacheDir: string;
}

export function registerStatus(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('nixNur.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Nix indexes';
  item.command = 'nixNur.showStatus';
  context.subscriptions.push(item);
  let latest: KnowledgeStatus | undefined;
  let timer: NodeJS.Timeout | undefined;

  const refresh = async () => {
    try {
      const status = (await client.sendRequest('nixNur/status')) as KnowledgeStatus | null;
      latest = status ?? undefined;
    } catch {
      latest = undefined;
    }
    render(item, latest);
    const loading = latest?.sources.some((source) => source.state === 'loading');
    timer = setTimeout(() => void refresh(), loading ? 2000 : 60_000);
  };
  void refresh();
  context.subscriptions.push({ dispose: () => clearTimeout(timer) });

  context.subscriptions.push(
    vscode.commands.registerCommand('nixNur.showStatus', async () => {
      if (!latest) return void vscode.window.showInformationMessage('Nix: the language server has not reported its indexes yet.');
      const picked = await vscode.window.showQuickPick(
        [
          ...latest.sources.map((source) => ({ label: `${stateIcon(source.state)} ${source.label}`, description: describe(source), detail: source.message ?? source.location })),
          { label: '$(refresh) Refresh all indexes', description: 'download or evaluate again', refresh: true },
        ],
        { title: `Nix indexes (cache: ${latest.cacheDir})` },
      );
      if (picked && 'refresh' in picked) {
        await client.sendRequest('workspace/executeCommand', { command: 'nixNur.refreshKnowledge', arguments: [{}] });
        clearTimeout(timer);
        void refresh();
      }
    }),
  );
}

function render(item: vscode.StatusBarItem, status: KnowledgeStatus | undefined): void {
  if (!status) {
    item.hide();
    return;
  }
  const loading = status.sources.filter((s) => s.state === 'loading');
  const failed = status.sources.filter((s) => s.state === 'failed');
  const packages = status.sources.find((s) => s.label.toLowerCase().includes('nixpkgs'));
  if (loading.length > 0) item.text = `$(sync~spin) Nix: indexing ${loading.map((s) => s.label).join(', ')}`;
  else if (failed.length > 0) item.text = `$(warning) Nix: ${failed.length} index${failed.length > 1 ? 'es' : ''} unavailable`;
  else item.text = `$(package) Nix${packages?.count ? `: ${Math.round(packages.count / 1000)}k packages` : ''}`;
  item.tooltip = status.sources.map((s) => `${s.label}: ${describe(s)}`).join('\n');
  item.show();
}

function describe(source: SourceStatus): string {
  const parts: string[] = [source.state];
  if (source.count !== undefined) parts.push(`${source.count.toLocaleString()} entries`);
  if (source.origin) parts.push(`from ${source.origin}`);
  if (source.ageSeconds !== undefined) parts.push(`${age(source.ageSeconds)} old`);
  return parts.join(' · ');
}

function age(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

function stateIcon(state: SourceStatus['state']): string {
  return { off: '$(circle-slash)', loading: '$(sync~spin)', ready: '$(check)', failed: '$(error)', 'offline-cache': '$(history)' }[state];
}
