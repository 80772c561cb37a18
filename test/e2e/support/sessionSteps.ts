// Steps every end-to-end file takes around its session: wait for the extension's indexes,
// keep a screenshot of a failed step, and keep code-server's and the extension host's logs.
import { copyFileSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import type { EditorSession } from './editorSession';
import type { Workbench } from './workbench';

/** Waits for the status item to count the indexed packages; fails early if activation failed. */
export async function waitForIndexes(wb: Workbench, session: EditorSession, timeoutMs = 150_000): Promise<void> {
  const ready = wb.statusItem(/Nix: \d+k packages/);
  const deadline = Date.now() + timeoutMs;
  while (!(await ready.isVisible())) {
    const failure = session.activationError('nix-nur.nix-nur');
    if (failure) throw new Error(`the extension failed to activate:\n${failure}`);
    if (Date.now() > deadline) throw new Error(`the indexes were not ready within ${Math.round(timeoutMs / 1000)} s`);
    await ready.waitFor({ state: 'visible', timeout: 1_000 }).catch(() => {});
  }
}

/** For `afterEach`: a screenshot named after the step when it failed. */
export async function screenshotIfFailed(wb: Workbench | undefined, task: { name: string; result?: { state?: string; errors?: unknown[] } }): Promise<void> {
  if (task.result?.state === 'fail' || task.result?.errors?.length) {
    await wb?.screenshot(`failed-${task.name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {});
  }
}

/** Copies code-server's log and the profile's logs (extension host, language server) beside the screenshots. */
export function keepLogs(session: EditorSession | undefined, stateDir: string | undefined, artifactsDir: string): void {
  if (session && existsSync(session.logFile)) copyFileSync(session.logFile, join(artifactsDir, 'code-server.log'));
  const logs = stateDir && join(stateDir, 'user-data', 'logs');
  if (logs && existsSync(logs)) cpSync(logs, join(artifactsDir, 'logs'), { recursive: true });
}

/**
 * "NUR: Create Repository…" as a user answers it: the folder (empty), the name, git yes. Returns
 * the notification that says it was created, once it is on screen.
 */
export async function createNurRepositoryThroughUi(wb: Workbench, folder: string, name: string): Promise<Locator> {
  await wb.runCommand('NUR: Create Repository…');
  await wb.waitForQuickInput(/NUR: folder for the new repository/);
  await wb.chooseEmptyFolder(folder);
  await wb.waitForQuickInput(/NUR: repository name/);
  await wb.page.keyboard.type(name);
  await wb.page.keyboard.press('Enter');
  await wb.waitForQuickInput(/Initialise a git repository/);
  await wb.pick('Yes');
  const created = wb.toast(new RegExp(`Created NUR repository '${name}'`)).first();
  await created.waitFor({ state: 'visible', timeout: 60_000 });
  return created;
}
