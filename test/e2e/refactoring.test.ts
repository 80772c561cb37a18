// A refactoring as a VS Code user applies it: the cursor on a binding, "Refactor..." from the
// command palette, the action chosen from the menu, and the edited text in the editor. Its own
// editor session, with no indexes: refactorings need only the file.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createE2eWorkspace, type E2eWorkspace } from './support/e2eWorkspace';
import { startWorkspaceSession, type EditorSession } from './support/editorSession';
import { e2eRequirements, repoRoot } from './support/requirements';
import { Workbench } from './support/workbench';

const requirements = e2eRequirements();
const artifactsDir = join(repoRoot, 'test-results', 'e2e-refactoring');
const docsDir = join(repoRoot, 'docs', 'screenshots');
const FILE = 'modules/configuration.nix';
const TITLE = "Flatten 'services.openssh' into dotted bindings";

describe.skipIf(requirements.missing.length > 0)('a refactoring in VS Code', () => {
  let workspace: E2eWorkspace;
  let session: EditorSession | undefined;
  let wb: Workbench;

  beforeAll(async () => {
    rmSync(artifactsDir, { recursive: true, force: true });
    workspace = createE2eWorkspace(requirements.nixBinDir!);
    const setup = { codeServerCache: inject('codeServerCache'), vsix: inject('vsix'), chromium: requirements.chromium! };
    // No index sources: refactorings need only the file.
    const noIndexes = Object.fromEntries(['nixpkgs.packages', 'nixos.options', 'homeManager.options', 'nur.repos', 'nur.packages'].map((key) => [`nixNur.${key}`, '']));
    session = await startWorkspaceSession(workspace, setup, { 'nixNur.offline': true, ...noIndexes });
    wb = new Workbench(session.page, artifactsDir, docsDir);
    await wb.waitUntilLoaded();
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await wb?.screenshot('failed').catch(() => {});
  });

  afterAll(async () => {
    await session?.close();
    workspace?.remove();
  });

  it('flattens an attribute set from the Refactor menu', async () => {
    await wb.openFile(FILE, 'services.openssh');
    const lines = readFileSync(join(workspace.folder, FILE), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('services.openssh = {')) + 1;
    const column = lines[line - 1]!.indexOf('openssh') + 3;
    const action = wb.page.locator('.action-widget .monaco-list-row').filter({ hasText: TITLE });
    // The server may still be starting: ask again until the menu holds the refactoring.
    const deadline = Date.now() + 90_000;
    for (;;) {
      await wb.goTo(line, column);
      await wb.runCommand('Refactor...');
      try {
        await action.first().waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await wb.page.keyboard.press('Escape');
      }
    }
    await wb.screenshot('refactor-menu', { docs: 'refactor-menu.png', around: [wb.page.locator('.part.editor'), action.first()] });
    await action.first().click();
    await expect.poll(() => wb.renderedLines(), { timeout: 10_000 }).toEqual(
      expect.arrayContaining(['services.openssh.enable = true;', 'services.openssh.settings.PasswordAuthentication = false;']),
    );
    expect(await wb.renderedLines()).not.toContain('services.openssh = {');
    await wb.screenshot('refactored');
  });
});
