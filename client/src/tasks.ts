// The `nix` task type: `{ "type": "nix", "installable": ".#hello" }` in tasks.json runs
// `nix build` on it (an argument vector, no shell), with the `$nix` problem matcher.
import * as vscode from 'vscode';

interface NixTaskDefinition extends vscode.TaskDefinition {
  type: 'nix';
  installable: string;
  /** Extra arguments after the installable, e.g. `["--rebuild"]`. */
  args?: string[];
}

export function registerNixTasks(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.tasks.registerTaskProvider('nix', {
      provideTasks: async () => {
        // Offer `nix build` of the default package of each workspace flake.
        const flakes = await vscode.workspace.findFiles('**/flake.nix', '**/node_modules/**', 20);
        return flakes.flatMap((flake) => {
          const folder = vscode.workspace.getWorkspaceFolder(flake);
          if (!folder) return [];
          const directory = vscode.Uri.joinPath(flake, '..');
          const relative = vscode.workspace.asRelativePath(directory, false);
          const installable = directory.toString() === folder.uri.toString() ? '.#default' : `./${relative}#default`;
          return [nixTask({ type: 'nix', installable }, folder)];
        });
      },
      resolveTask: (task) => {
        const definition = task.definition as NixTaskDefinition;
        if (typeof definition.installable !== 'string' || definition.installable.startsWith('-')) return undefined;
        const scope = task.scope && typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
        return scope ? nixTask(definition, scope) : undefined;
      },
    }),
  );
}

function nixTask(definition: NixTaskDefinition, folder: vscode.WorkspaceFolder): vscode.Task {
  const binDir = vscode.workspace.getConfiguration('nixNur', folder.uri).get<string>('nix.binDir')?.trim();
  const nix = binDir ? vscode.Uri.joinPath(vscode.Uri.file(binDir), 'nix').fsPath : 'nix';
  const args = ['build', '--extra-experimental-features', 'nix-command flakes', '--print-build-logs', definition.installable, ...(definition.args ?? [])];
  const task = new vscode.Task(definition, folder, `build ${definition.installable}`, 'nix', new vscode.ProcessExecution(nix, args, { cwd: folder.uri.fsPath }), ['$nix', '$nix-compact']);
  task.group = vscode.TaskGroup.Build;
  return task;
}
