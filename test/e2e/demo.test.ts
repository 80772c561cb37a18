// The demo `npm start` opens, made as `npm start` makes it (scripts/demoWorkspace.mjs: outside any
// repository, its nixpkgs a local stand-in), driven through the UI as demo/README.md describes
// its workflows: Build from the picker and from a lens, Update and Pin, NUR Add Package and
// Create Repository — offline, with the host's Nix. Each workflow leaves a screenshot for the
// docs (docs/screenshots/demo-*.png when NIX_NUR_UPDATE_SCREENSHOTS=1, as CI runs it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDemoWorkspace, type DemoWorkspace } from '../../scripts/demoWorkspace.mjs';
import { privateEnvironment } from './support/e2eWorkspace';
import { startEditorSession, type EditorSession } from './support/editorSession';
import { e2eRequirements, repoRoot, sharedData } from './support/requirements';
import { createNurRepositoryThroughUi, keepLogs, screenshotIfFailed, waitForIndexes } from './support/sessionSteps';
import { Workbench } from './support/workbench';

const requirements = e2eRequirements();
const artifactsDir = join(repoRoot, 'test-results', 'e2e-demo');
const docsDir = join(repoRoot, 'docs', 'screenshots');

describe.skipIf(requirements.missing.length > 0)('the demo workspace, as its README walks through it', () => {
  let root: string;
  let demo: DemoWorkspace;
  let session: EditorSession | undefined;
  let wb: Workbench;
  const editorPart = () => wb.page.locator('.part.editor');
  const file = (relative: string) => join(demo.workspace, relative);
  const lockedRev = () => JSON.parse(readFileSync(file('flake.lock'), 'utf8')).nodes.nixpkgs.locked.rev as string;
  const standInRevs = () => execFileSync('git', ['-C', demo.nixpkgs, 'rev-list', 'HEAD'], { encoding: 'utf8' }).trim().split('\n');

  beforeAll(async () => {
    rmSync(artifactsDir, { recursive: true, force: true });
    root = mkdtempSync(join(tmpdir(), 'nix-nur-e2e-demo-'));
    // Only the host's Nix, and a private HOME as a newcomer's machine would have.
    const env = privateEnvironment(root, requirements.nixBinDir!);
    demo = ensureDemoWorkspace({ repoRoot, demoHome: join(root, 'demo'), env });
    session = await startEditorSession({
      codeServerCache: inject('codeServerCache'),
      vsix: inject('vsix'),
      stateDir: join(root, 'editor'),
      folder: demo.workspace,
      env: { ...env, ...demo.env },
      chromium: requirements.chromium!,
      // As `npm start` sets them when ../shared/data is there.
      settings: {
        'nixNur.nixpkgs.packages': join(sharedData, 'nixpkgs', 'packages.json.br'),
        'nixNur.nixos.options': join(sharedData, 'nixpkgs', 'options.json.br'),
        'nixNur.nur.repos': join(sharedData, 'nur', 'repos.json'),
        'nixNur.nur.packages': join(sharedData, 'nur', 'packages.json'),
      },
    });
    wb = new Workbench(session.page, artifactsDir, docsDir);
    await wb.waitUntilLoaded();
  });

  afterEach((context) => screenshotIfFailed(wb, context.task));

  afterAll(async () => {
    await session?.close();
    keepLogs(session, root && join(root, 'editor'), artifactsDir);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('activates and loads the indexes', async () => {
    await waitForIndexes(wb, session!);
  });

  it('builds hello-nur from "Nix: Build…"', async () => {
    await wb.clearNotifications();
    await wb.openFile('flake.nix', 'description');
    await wb.runCommand('Nix: Build…');
    await wb.waitForQuickInput(/Nix: Build/);
    await wb.pick('hello-nur', /^hello-nur/);
    const built = wb.toast(/Built .*\/nix\/store\/\S+-hello-nur-1\.0\.0/);
    await built.first().waitFor({ state: 'visible', timeout: 120_000 });
    await wb.screenshot('build-picker', { docs: 'demo-build-picker.png', around: [editorPart(), built.first()] });
  });

  it('builds hello-nur from the lens in the NUR repository, and puts no lens on its modules', async () => {
    await wb.clearNotifications();
    await wb.openFile('nur-packages/default.nix', 'hello-nur');
    const lens = wb.codeLens('Build hello-nur');
    await lens.first().waitFor({ state: 'visible', timeout: 60_000 });
    expect(await wb.codeLens(/Build modules/).count()).toBe(0);
    await lens.first().click();
    const built = wb.toast(/Built .*\/nix\/store\/\S+-hello-nur-1\.0\.0/);
    await built.first().waitFor({ state: 'visible', timeout: 120_000 });
    await wb.screenshot('build-lens', { docs: 'demo-build-lens.png', around: [editorPart(), built.first()] });
  });

  it("updates nixpkgs from its lens to the stand-in's newer commit", async () => {
    await wb.clearNotifications();
    const [newest, first] = standInRevs();
    expect(lockedRev()).toBe(first);
    await wb.openFile('flake.nix', 'inputs.nixpkgs');
    await wb.codeLens(`locked ${first!.slice(0, 7)}`).first().waitFor({ state: 'visible', timeout: 60_000 });
    // A lens re-rendered under the pointer (the lenses refresh as the file is analysed) can swallow
    // a click: if nothing has started after a while, click again (a second update changes nothing).
    for (let attempt = 1; ; attempt++) {
      await wb.codeLens(/^Update$/).first().click();
      try {
        await expect.poll(() => lockedRev(), { timeout: attempt === 1 ? 20_000 : 90_000, interval: 500 }).toBe(newest);
        break;
      } catch (error) {
        if (attempt === 2) throw error;
      }
    }
    await wb.codeLens(`locked ${newest!.slice(0, 7)}`).first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('update', { docs: 'demo-update.png', around: [editorPart()] });
  });

  it('pins nixpkgs to its locked commit from "Nix: Pin Flake Input…"', async () => {
    await wb.clearNotifications();
    const [newest] = standInRevs();
    await wb.runCommand('Nix: Pin Flake Input…');
    await wb.waitForQuickInput(/Pin flake input/);
    await wb.pick('nixpkgs');
    await expect.poll(() => readFileSync(file('flake.nix'), 'utf8'), { timeout: 60_000, interval: 500 }).toContain(`rev=${newest}`);
    await wb.editorLines.filter({ hasText: `rev=${newest}` }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await wb.screenshot('pin', { docs: 'demo-pin.png', around: [editorPart()] });
  });

  it('adds a package to the NUR repository of the open file, asking no repository', async () => {
    await wb.clearNotifications();
    await wb.openFile('nur-packages/pkgs/hello-nur/default.nix', 'hello-nur');
    await wb.runCommand('NUR: Add Package…');
    // The first question is the package's name: the repository is the open file's.
    await wb.waitForQuickInput(/NUR: package name/);
    await wb.page.keyboard.type('greeter');
    await wb.page.keyboard.press('Enter');
    await wb.waitForQuickInput(/how is greeter built/);
    await wb.pick('stdenv.mkDerivation');
    await wb.waitForQuickInput(/source on GitHub/);
    await wb.page.keyboard.press('Enter');
    const added = wb.toast(/Added greeter\./);
    await added.first().waitFor({ state: 'visible', timeout: 60_000 });
    // Said once: what to do next is in the notes, not repeated after them.
    expect((await added.first().innerText()).match(/[Bb]uild the package once/g)).toHaveLength(1);
    expect(existsSync(file('nur-packages/pkgs/greeter/default.nix'))).toBe(true);
    await expect.poll(() => readFileSync(file('nur-packages/default.nix'), 'utf8'), { timeout: 20_000 }).toContain('greeter = pkgs.callPackage ./pkgs/greeter { };');
    await wb.screenshot('nur-add-package', { docs: 'demo-nur-add-package.png', around: [editorPart(), added.first()] });

    // Its source is still to be filled in: building it fails, and the log opens read-only.
    await added.first().getByRole('button', { name: 'Build' }).click();
    const failed = wb.toast(/Nix build failed: .*cannot download from GitHub/);
    await failed.first().waitFor({ state: 'visible', timeout: 120_000 });
    await failed.first().getByRole('button', { name: 'Show Full Log' }).click();
    const logTab = wb.page.locator('.tabs-container .tab.active').filter({ hasText: /\.log/ });
    await logTab.waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => wb.renderedLines(), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/cannot download from GitHub/)]));
    expect(await wb.page.locator('.tabs-container .tab').filter({ hasText: /Untitled/ }).count()).toBe(0);
    expect(await wb.page.locator('.tabs-container .tab.active.dirty').count()).toBe(0);
    await wb.screenshot('build-failed-log', { around: [editorPart()] });
  });

  it('creates a NUR repository in an empty folder', async () => {
    await wb.clearNotifications();
    const folder = join(root, 'my-nur');
    mkdirSync(folder);
    const created = await createNurRepositoryThroughUi(wb, folder, 'alice');
    expect(existsSync(join(folder, 'pkgs'))).toBe(true);
    await wb.page.locator('.tabs-container .tab.active').filter({ hasText: 'default.nix' }).waitFor({ state: 'visible' });
    await wb.screenshot('nur-create', { docs: 'demo-nur-create.png', around: [editorPart(), created] });
  });

  it('shows a search result as one read-only preview, with no Untitled tab', async () => {
    await wb.clearNotifications();
    const tabs = wb.page.locator('.tabs-container .tab');
    await wb.runCommand('Nix: Search Packages and Options');
    await wb.waitForQuickInput(/Search packages and options/);
    await wb.pick('ripgrep', /^ripgrep/);
    await wb.page.locator('.tabs-container .tab.active').filter({ hasText: /ripgrep/ }).waitFor({ state: 'visible', timeout: 30_000 });
    expect(await tabs.filter({ hasText: /Untitled/ }).count()).toBe(0);
    await wb.screenshot('search-result', { around: [editorPart()] });
  });
});
