// The extension as a user meets it: the packaged .vsix installed into a real VS Code
// (code-server), shown in headless Chromium and driven with the keyboard. Indexes come from the
// real data in ../shared/data, downloaded from a local HTTP server; Nix is the host's.
// Each step leaves a screenshot in test-results/e2e/.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../unit/knowledge/localHttpServer';
import { createE2eWorkspace, type E2eWorkspace } from './support/e2eWorkspace';
import { startEditorSession, type EditorSession } from './support/editorSession';
import { e2eRequirements, repoRoot, sharedData } from './support/requirements';
import { createNurRepositoryThroughUi, keepLogs, screenshotIfFailed, waitForIndexes } from './support/sessionSteps';
import { Workbench } from './support/workbench';

const requirements = e2eRequirements();
const artifactsDir = join(repoRoot, 'test-results', 'e2e');
const docsDir = join(repoRoot, 'docs', 'screenshots');

/** 1-based number of the first line of a workspace file that contains `text`. */
function lineOf(workspace: E2eWorkspace, file: string, text: string): number {
  const index = readFileSync(join(workspace.folder, file), 'utf8').split('\n').findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${file} has no line with ${text}`);
  return index + 1;
}

/** The browser's window, typed just enough (the project compiles without DOM types). */
type PageWindow = { getComputedStyle(element: unknown): { color: string } };

/** The computed text colour of the first editor token whose text matches. */
async function tokenColour(page: Page, matches: (text: string) => boolean): Promise<string | undefined> {
  const tokens = await page
    .locator('.editor-group-container.active .monaco-editor .view-lines .view-line span > span')
    .evaluateAll((spans) => spans.map((span) => ({ text: span.textContent ?? '', colour: (globalThis as unknown as PageWindow).getComputedStyle(span).color })));
  // Monaco renders spaces as no-break spaces.
  return tokens.find((token) => matches(token.text.replace(/\u00a0/g, ' ')))?.colour;
}

describe.skipIf(requirements.missing.length > 0)('VS Code with the packaged extension', () => {
  let workspace: E2eWorkspace;
  let data: LocalServer;
  let session: EditorSession | undefined;
  let wb: Workbench;
  /** The editor area (tabs, breadcrumbs, text): what the screenshots for the docs show. */
  const editorPart = () => wb.page.locator('.part.editor');
  /** Opens `file`, puts the cursor inside `word` on the first line holding `lineText`, presses F12. */
  const goToDefinitionOf = async (file: string, lineText: string, word: string) => {
    await wb.openFile(file, lineText);
    const line = lineOf(workspace, file, lineText);
    const column = readFileSync(join(workspace.folder, file), 'utf8').split('\n')[line - 1]!.indexOf(word) + 3;
    await wb.goTo(line, column);
    await wb.page.keyboard.press('F12');
  };

  beforeAll(async () => {
    rmSync(artifactsDir, { recursive: true, force: true });
    workspace = createE2eWorkspace(requirements.nixBinDir!);
    data = await startLocalServer({
      '/nixpkgs/packages.json.br': { type: 'file', path: join(sharedData, 'nixpkgs', 'packages.json.br') },
      '/nixos/options.json.br': { type: 'file', path: join(sharedData, 'nixpkgs', 'options.json.br') },
      '/home-manager/options.json.br': { type: 'file', path: join(sharedData, 'home-manager', 'options.json.br') },
      '/nur/repos.json': { type: 'file', path: join(sharedData, 'nur', 'repos.json') },
      '/nur/packages.json': { type: 'file', path: join(sharedData, 'nur', 'packages.json') },
    });
    session = await startEditorSession({
      codeServerCache: inject('codeServerCache'),
      vsix: inject('vsix'),
      stateDir: join(workspace.root, 'editor'),
      folder: workspace.folder,
      env: workspace.env,
      chromium: requirements.chromium!,
      settings: {
        'nixNur.nixpkgs.packages': data.url('/nixpkgs/packages.json.br'),
        'nixNur.nixos.options': data.url('/nixos/options.json.br'),
        'nixNur.homeManager.options': data.url('/home-manager/options.json.br'),
        'nixNur.nur.repos': data.url('/nur/repos.json'),
        'nixNur.nur.packages': data.url('/nur/packages.json'),
      },
    });
    wb = new Workbench(session.page, artifactsDir, docsDir);
    try {
      await wb.waitUntilLoaded();
    } catch (error) {
      await wb.screenshot('failed-to-load').catch(() => {});
      throw error;
    }
  });

  afterEach((context) => screenshotIfFailed(wb, context.task));

  afterAll(async () => {
    await session?.close();
    await data?.close();
    // Keep code-server's and the extension host's logs with the screenshots.
    keepLogs(session, workspace && join(workspace.root, 'editor'), artifactsDir);
    workspace?.remove();
  });

  it('activates and loads the package, option and NUR indexes', async () => {
    // The status item says how many packages are indexed once every index is loaded.
    await waitForIndexes(wb, session!);
    await wb.screenshot('indexes-ready');
  });

  it('highlights Nix: a keyword and a string in different colours', async () => {
    await wb.openFile('flake.nix', 'description');
    // The editor colours lines a moment after it shows them (at first a line is one span).
    const isKeyword = (text: string) => text === 'let';
    const isString = (text: string) => text.includes('A workstation');
    await expect.poll(async () => (await tokenColour(wb.page, isKeyword)) !== undefined && (await tokenColour(wb.page, isString)) !== undefined, { timeout: 30_000 }).toBe(true);
    const keyword = await tokenColour(wb.page, isKeyword);
    const string = await tokenColour(wb.page, isString);
    const plain = await wb.activeEditor.locator('.view-lines').evaluate((element) => (globalThis as unknown as PageWindow).getComputedStyle(element).color);
    expect(keyword).toBeDefined();
    expect(string).toBeDefined();
    expect(keyword).not.toBe(string);
    expect(keyword).not.toBe(plain);
    await wb.screenshot('highlighting');
  });

  it('shows the locked revision of a flake input in a code lens', async () => {
    const lens = wb.codeLens(`locked ${workspace.greeting.firstRev.slice(0, 7)}`);
    await lens.first().waitFor({ state: 'visible', timeout: 60_000 });
    await wb.codeLens(/^Update$/).first().waitFor({ state: 'visible' });
    await wb.screenshot('flake-lens', { docs: 'flake-lens.png', around: [editorPart()] });
  });

  it('updates a flake input from the command palette and rewrites flake.lock', async () => {
    await wb.runCommand('Nix: Update Flake Input…');
    await wb.waitForQuickInput(/Update flake input/);
    await wb.pick('greeting');
    await expect.poll(() => workspace.lockedGreetingRev(), { timeout: 90_000, interval: 500 }).toBe(workspace.greeting.secondRev);
    await wb.codeLens(`locked ${workspace.greeting.secondRev.slice(0, 7)}`).first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('flake-updated');
  });

  it('builds a package with "Nix: Build…", showing progress and then the store path', async () => {
    await wb.clearNotifications();
    await wb.runCommand('Nix: Build…');
    await wb.waitForQuickInput(/Nix: Build/);
    await wb.pick('motd', /^motd/);
    const progress = wb.toast(/building/i);
    await progress.first().waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('build-progress');
    const built = wb.toast(/Built .*\/nix\/store\//);
    await built.first().waitFor({ state: 'visible', timeout: 150_000 });
    const storePath = /\/nix\/store\/[^\s]+/.exec((await built.first().innerText()) ?? '')?.[0];
    expect(storePath).toMatch(/-motd-1\.0$/);
    // The build used the updated input.
    expect(readFileSync(storePath!, 'utf8').trim()).toBe(workspace.greeting.secondMessage);
    await wb.screenshot('build-succeeded', { docs: 'build.png', around: [editorPart(), built.first()] });
  });

  it('lists a syntax error in the Problems panel with a readable message', async () => {
    await wb.clearNotifications();
    const file = 'modules/configuration.nix';
    await wb.openFile(file, 'hostName');
    await wb.typeOnNewLineAfter(lineOf(workspace, file, 'time.timeZone'), 'networking.domain = ;');
    await wb.page.keyboard.press('Control+Shift+M');
    const problem = wb.problem("Expected an expression after '='").filter({ hasText: 'nix-nur' });
    await problem.first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('problems', { docs: 'problems.png', around: [editorPart(), wb.page.locator('.part.panel')] });
    await wb.revertFile();
    await problem.first().waitFor({ state: 'detached', timeout: 30_000 });
    await wb.runCommand('View: Hide Panel');
  });

  it('completes nixpkgs packages with their versions (pkgs.ripgr → ripgrep)', async () => {
    const file = 'modules/configuration.nix';
    await wb.openFile(file, 'hostName');
    await wb.typeOnNewLineAfter(lineOf(workspace, file, 'pkgs.ripgrep'), 'pkgs.ripgr');
    const ripgrep = await wb.waitForSuggestion('ripgrep');
    await expect.poll(() => ripgrep.innerText(), { timeout: 10_000 }).toMatch(/\d+\.\d+/);
    await wb.screenshot('completion-package', { docs: 'completion.png', around: [editorPart()] });
    // Accepted, the item replaces what was typed (its edit range comes from the list's defaults).
    await wb.page.keyboard.press('Enter');
    await expect.poll(() => wb.renderedLines(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/^\s*pkgs\.ripgrep$/));
    await wb.revertFile();
  });

  it('completes NixOS options in a module (services.ngin → nginx)', async () => {
    const file = 'modules/configuration.nix';
    await wb.typeOnNewLineAfter(lineOf(workspace, file, 'time.timeZone'), 'services.ngin');
    await wb.waitForSuggestion('nginx');
    await wb.screenshot('completion-option', { docs: 'completion-option.png', around: [editorPart()] });
    await wb.page.keyboard.press('Enter');
    await expect.poll(() => wb.renderedLines(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/^\s*services\.nginx$/));
    await wb.revertFile();
  });

  it('completes NUR repositories and their packages', async () => {
    const file = 'modules/configuration.nix';
    await wb.typeOnNewLineAfter(lineOf(workspace, file, 'pkgs.ripgrep'), 'pkgs.nur.repos.mic');
    await wb.waitForSuggestion('mic92');
    await wb.page.keyboard.type('92.', { delay: 20 });
    await wb.waitForSuggestion('goatcounter');
    await wb.waitForSuggestion('hello-nur');
    await wb.screenshot('completion-nur', { around: [editorPart()] });
    await wb.page.keyboard.press('Escape');
    await wb.revertFile();
  });

  it('shows a hover card for a package', async () => {
    const file = 'modules/configuration.nix';
    const line = lineOf(workspace, file, 'pkgs.ripgrep');
    const column = readFileSync(join(workspace.folder, file), 'utf8').split('\n')[line - 1].indexOf('ripgrep') + 3;
    const hover = await wb.showHoverAt(line, column);
    // Name and version, then the description and meta from the index.
    await expect.poll(() => hover.innerText(), { timeout: 20_000 }).toMatch(/ripgrep\s+\d+\.\d+/);
    expect(await hover.innerText()).toMatch(/Homepage/);
    await wb.screenshot('hover', { docs: 'hover.png', around: [editorPart()] });
    await wb.page.keyboard.press('Escape');
  });

  it('goes to the declaration of an option in the pinned nixpkgs (F12)', async () => {
    await goToDefinitionOf('modules/configuration.nix', 'enable = true;', 'enable');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'sshd.nix' }).waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => wb.renderedLines(), { timeout: 10_000 }).toContain('enable = lib.mkOption {');
    await wb.screenshot('option-definition', { around: [editorPart()] });
  });

  it("offers to open an option's declaration on GitHub when its source is not on disk", async () => {
    // The stand-in nixpkgs has no nixos/modules/config/locale.nix, where time.timeZone is declared.
    await goToDefinitionOf('modules/configuration.nix', 'time.timeZone', 'timeZone');
    const dialog = wb.page.locator('.monaco-dialog-box', { hasText: 'external website' });
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => dialog.innerText()).toMatch(/https:\/\/github\.com\/NixOS\/nixpkgs\/blob\/[^/\s]+\/nixos\/modules\/config\/locale\.nix/);
    await wb.screenshot('option-definition-web', { around: [dialog] });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('completes the NixOS modules of a flake input', async () => {
    const file = 'flake.nix';
    await wb.openFile(file, 'description');
    await wb.typeOnNewLineAfter(lineOf(workspace, file, 'nixosModules.workstation'), 'nixosModules.greeting = greeting.nixosModules.mo');
    await wb.waitForSuggestion('motd');
    await wb.screenshot('completion-input-module', { around: [editorPart()] });
    await wb.page.keyboard.press('Escape');
    await wb.revertFile();
  });

  it('creates a NUR repository through the folder dialog and the name prompt', async () => {
    await wb.clearNotifications();
    await createNurRepositoryThroughUi(wb, workspace.newRepository, 'alice');
    expect(existsSync(join(workspace.newRepository, 'default.nix'))).toBe(true);
    expect(existsSync(join(workspace.newRepository, '.git'))).toBe(true);
    expect(readFileSync(join(workspace.newRepository, 'default.nix'), 'utf8')).toMatch(/callPackage/);
    // The new repository's default.nix is opened.
    await wb.page.locator('.tabs-container .tab.active').filter({ hasText: 'default.nix' }).waitFor({ state: 'visible' });
    await wb.screenshot('nur-created');
  });
});
