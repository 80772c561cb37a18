// "Nix: Search Packages and Options": a live picker over every loaded index; choosing an entry
// shows its documentation, or inserts its name into the active Nix editor.
import * as vscode from 'vscode';
import { readOnlyDocument } from '../readOnlyDocuments';
import type { LanguageClient } from 'vscode-languageclient/node';
import { errorMessage, runServerCommand } from '../serverCommands';

interface SearchResult {
  source: 'nixpkgs' | 'nixos' | 'home-manager' | 'nur' | 'nur-repo';
  path: string[];
  label: string;
  detail?: string;
  description?: string;
}

const SOURCE_LABELS: Record<SearchResult['source'], string> = {
  nixpkgs: 'package',
  nixos: 'NixOS option',
  'home-manager': 'Home Manager option',
  nur: 'NUR package',
  'nur-repo': 'NUR repository',
};

const INSERT = { iconPath: new vscode.ThemeIcon('insert'), tooltip: 'Insert into the editor' };

export function registerSearchCommand(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(vscode.commands.registerCommand('nixNur.search', () => search(client)));
}

async function search(client: LanguageClient): Promise<void> {
  type Item = vscode.QuickPickItem & { result?: SearchResult };
  const picker = vscode.window.createQuickPick<Item>();
  picker.title = 'Nix: Search packages and options';
  picker.placeholder = 'ripgrep, services.nginx, nur.repos.…';
  picker.matchOnDescription = true;
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  picker.onDidChangeValue((query) => {
    clearTimeout(timer);
    const current = ++generation;
    timer = setTimeout(async () => {
      if (!query.trim()) return void (picker.items = []);
      picker.busy = true;
      try {
        const { results } = await client.sendRequest('workspace/executeCommand', { command: 'nixNur.knowledge.search', arguments: [{ query, limit: 100 }] }) as { results: SearchResult[] };
        if (current !== generation) return;
        picker.items = results.map((result) => ({
          label: result.label,
          description: [SOURCE_LABELS[result.source], result.detail].filter(Boolean).join(' · '),
          detail: result.description,
          buttons: [INSERT],
          // The server ranked them; keep its order while the user types.
          alwaysShow: true,
          result,
        }));
      } catch (error) {
        picker.items = [{ label: `$(error) ${errorMessage(error)}` }];
      } finally {
        if (current === generation) picker.busy = false;
      }
    }, 120);
  });
  const insert = async (result: SearchResult) => {
    picker.hide();
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const text = result.source === 'nixpkgs' ? result.path.join('.') : result.label;
    await editor.edit((edit) => edit.replace(editor.selection, text));
  };
  picker.onDidTriggerItemButton(({ item }) => item.result && void insert(item.result));
  picker.onDidAccept(async () => {
    const result = picker.selectedItems[0]?.result;
    if (!result) return;
    picker.hide();
    try {
      const { documentation } = await runServerCommand<{ documentation: { value: string } | null }>(
        client,
        'nixNur.knowledge.describe',
        { source: result.source, path: result.path },
        { title: 'Nix: documentation', notification: false },
      );
      // Only the preview, of a read-only document: no second (Untitled) tab beside it.
      const document = await readOnlyDocument(`${result.label}.md`, documentation?.value ?? `# ${result.label}\n\nNo documentation.`, 'markdown');
      await vscode.commands.executeCommand('markdown.showPreview', document.uri);
    } catch (error) {
      void vscode.window.showErrorMessage(`Nix: ${errorMessage(error)}`);
    }
  });
  picker.onDidHide(() => picker.dispose());
  picker.show();
}
