// "Format Document" in a real VS Code (code-server in headless Chromium) with the packaged
// extension: the built-in formatter rewrites a messy file in the official style, and saving
// writes exactly that to disk.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createE2eWorkspace, type E2eWorkspace } from './support/e2eWorkspace';
import { startWorkspaceSession, type EditorSession } from './support/editorSession';
import { e2eRequirements, repoRoot } from './support/requirements';
import { Workbench } from './support/workbench';

const requirements = e2eRequirements();
const artifactsDir = join(repoRoot, 'test-results', 'e2e-formatting');
const docsDir = join(repoRoot, 'docs', 'screenshots');

const MESSY = '{pkgs,lib,...}:\n# A package\n{name="hello";buildInputs=[pkgs.openssl pkgs.zlib];\nmeta={license=lib.licenses.mit;};}\n';
const FORMATTED = [
  '{ pkgs, lib, ... }:',
  '# A package',
  '{',
  '  name = "hello";',
  '  buildInputs = [',
  '    pkgs.openssl',
  '    pkgs.zlib',
  '  ];',
  '  meta = {',
  '    license = lib.licenses.mit;',
  '  };',
  '}',
  '',
].join('\n');

describe.skipIf(requirements.missing.length > 0)('Format Document in VS Code', () => {
  let workspace: E2eWorkspace;
  let session: EditorSession | undefined;
  let wb: Workbench;

  beforeAll(async () => {
    workspace = createE2eWorkspace(requirements.nixBinDir!);
    writeFileSync(join(workspace.folder, 'messy.nix'), MESSY);
    session = await startWorkspaceSession(workspace, { codeServerCache: inject('codeServerCache'), vsix: inject('vsix'), chromium: requirements.chromium! }, { 'nixNur.offline': true });
    wb = new Workbench(session.page, artifactsDir, docsDir);
    await wb.waitUntilLoaded();
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await wb?.screenshot('failed-format').catch(() => {});
  });

  afterAll(async () => {
    await session?.close();
    workspace?.remove();
  });

  it('formats the open file in the official style and saves it', async () => {
    await wb.openFile('messy.nix', 'buildInputs');
    // The editor shows the line after the final line break too, empty.
    const expected = FORMATTED.split('\n').map((line) => line.trim());
    // Until the extension has started its server, VS Code knows no formatter for Nix and the
    // command does nothing (it says so): ask again, as a user would, a few times.
    for (let attempt = 1; ; attempt++) {
      await wb.runCommand('Format Document');
      const formatted = await expect
        .poll(() => wb.renderedLines(), { timeout: 20_000, interval: 500 })
        .toEqual(expected)
        .then(() => true, (error: unknown) => (attempt < 3 ? false : Promise.reject(error)));
      if (formatted) break;
    }
    await wb.screenshot('formatted');
    await wb.page.keyboard.press('Control+S');
    const file = join(workspace.folder, 'messy.nix');
    await expect.poll(() => (existsSync(file) ? readFileSync(file, 'utf8') : ''), { timeout: 20_000 }).toBe(FORMATTED);
  });
});
