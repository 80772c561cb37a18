// Everyday editing depth in a real VS Code (code-server in headless Chromium) with the packaged
// extension: an inlay hint with a package's version after `pkgs.hello`, and go to definition (F12)
// on it opening the package's source in the pinned nixpkgs (the stand-in NIX_PATH names, given a
// `pkgs/by-name/he/hello/package.nix` here). Indexes come from ../shared/data over local HTTP.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../unit/knowledge/localHttpServer';
import { createE2eWorkspace, type E2eWorkspace } from './support/e2eWorkspace';
import type { EditorSession } from './support/editorSession';
import { startIndexedSession } from './support/indexedSession';
import { e2eRequirements, repoRoot } from './support/requirements';
import { Workbench } from './support/workbench';

const requirements = e2eRequirements();
const artifactsDir = join(repoRoot, 'test-results', 'e2e-editor-depth');
const FILE = 'modules/configuration.nix';
/** Where the shared packages index says nixpkgs defines hello. */
const HELLO_SOURCE = join('pkgs', 'by-name', 'he', 'hello', 'package.nix');
const HELLO_LINE = 57;

describe.skipIf(requirements.missing.length > 0)('VS Code: inlay hints and package definitions', () => {
  let workspace: E2eWorkspace;
  let data: LocalServer;
  let session: EditorSession | undefined;
  let wb: Workbench;

  const lineOf = (text: string) => readFileSync(join(workspace.folder, FILE), 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;

  beforeAll(async () => {
    rmSync(artifactsDir, { recursive: true, force: true });
    workspace = createE2eWorkspace(requirements.nixBinDir!);
    const source = join(workspace.root, 'nixpkgs', HELLO_SOURCE);
    mkdirSync(join(source, '..'), { recursive: true });
    const lines = Array.from({ length: HELLO_LINE + 5 }, (_, i) => `  # line ${i + 1}`);
    lines[HELLO_LINE - 1] = '  pname = "hello";';
    writeFileSync(source, `{ stdenv }:\n${lines.slice(1).join('\n')}\n`);
    ({ data, session } = await startIndexedSession(workspace, requirements.chromium!, ['nixNur.nixpkgs.packages', 'nixNur.nixos.options']));
    wb = new Workbench(session.page, artifactsDir, join(repoRoot, 'docs', 'screenshots'));
    await wb.waitUntilLoaded();
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await wb?.screenshot(`failed-${context.task.name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {});
  });

  afterAll(async () => {
    await session?.close();
    await data?.close();
    if (session && existsSync(session.logFile)) copyFileSync(session.logFile, join(artifactsDir, 'code-server.log'));
    workspace?.remove();
  });

  it('loads the package index', async () => {
    await wb.statusItem(/Nix: \d+k packages/).waitFor({ state: 'visible', timeout: 150_000 });
  });

  it('shows the version of pkgs.hello after it, as an inlay hint', async () => {
    await wb.openFile(FILE, 'hostName');
    await wb.typeOnNewLineAfter(lineOf('pkgs.ripgrep'), 'pkgs.hello');
    // The hint is text drawn into the line after the name (Monaco's injected text).
    // The hint's padding is drawn by style, not by a space: compare the visible characters.
    const visible = async () => (await wb.renderedLinesWithHints()).map((line) => line.replace(/[^\x21-\x7e]/g, ''));
    await expect.poll(visible, { timeout: 30_000 }).toContain('pkgs.hello2.12.3');
    await wb.screenshot('inlay-hint');
  });

  it('goes to the source of pkgs.hello in the pinned nixpkgs (F12)', async () => {
    const line = lineOf('pkgs.ripgrep') + 1;
    await wb.goTo(line);
    // Into the name: the end of the line, one character back.
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('ArrowLeft');
    await wb.page.keyboard.press('F12');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'package.nix' }).waitFor({ state: 'visible', timeout: 20_000 });
    await expect.poll(() => wb.renderedLines(), { timeout: 10_000 }).toContain('pname = "hello";');
    await wb.screenshot('package-definition');
  });
});
