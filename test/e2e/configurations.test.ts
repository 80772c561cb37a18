// A real flake's own configuration in VS Code: NixOS with Home Manager's NixOS module and sops-nix
// over the real sources, evaluated by Nix 2.26 (the nixpkgs needs ≥ 2.18) in the background. The
// status item reports the configuration, and a module of it completes
// `home-manager.users.alice.programs.git.` with Home Manager's options.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, inject, it } from 'vitest';
import { makeFlake, nixEnvironment, sourcesAvailable } from '../support/configurationFlakes';
import { nixInstallations } from '../support/nixInstallations';
import { startEditorSession, type EditorSession } from './support/editorSession';
import { e2eRequirements, repoRoot } from './support/requirements';
import { Workbench } from './support/workbench';

const requirements = e2eRequirements();
const modern = nixInstallations().find((i) => /^2\.(1[89]|[2-9]\d)/.test(i.version));
const missing = [...requirements.missing, ...(modern ? [] : ['Nix 2.26 (scripts/setup-nix.sh)']), ...(sourcesAvailable() ? [] : ['../shared/data/sources'])];
if (process.env.CI && missing.length > 0) throw new Error(`the configuration end-to-end test needs: ${missing.join('; ')}`);
const artifactsDir = join(repoRoot, 'test-results', 'e2e-configurations');

describe.skipIf(missing.length > 0)('VS Code with a flake of its own configurations', () => {
  let root: string;
  let folder: string;
  let session: EditorSession | undefined;
  let wb: Workbench;

  beforeAll(async () => {
    rmSync(artifactsDir, { recursive: true, force: true });
    mkdirSync(artifactsDir, { recursive: true });
    // Under /tmp: the chrooted Nix 2.26 sees nothing else.
    root = mkdtempSync(join(tmpdir(), 'nix-nur-e2e-configurations-'));
    folder = makeFlake('nixos', root, modern!);
    const env = nixEnvironment(modern!);
    session = await startEditorSession({
      codeServerCache: inject('codeServerCache'),
      vsix: inject('vsix'),
      stateDir: join(root, 'editor'),
      folder,
      env,
      chromium: requirements.chromium!,
      settings: {
        'nixNur.nix.binDir': modern!.binDir,
        'nixNur.offline': true,
        'nixNur.nixpkgs.packages': '',
        'nixNur.nixos.options': '',
        'nixNur.nur.repos': '',
        'nixNur.nur.packages': '',
      },
    });
    wb = new Workbench(session.page, artifactsDir, join(artifactsDir, 'docs'));
    await wb.waitUntilLoaded();
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' || context.task.result?.errors?.length) {
      await wb?.screenshot(`failed-${context.task.name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {});
    }
  });

  afterAll(async () => {
    await session?.close();
    if (session && existsSync(session.logFile)) copyFileSync(session.logFile, join(artifactsDir, 'code-server.log'));
    const logs = root && join(root, 'editor', 'user-data', 'logs');
    if (logs && existsSync(logs)) cpSync(logs, join(artifactsDir, 'logs'), { recursive: true });
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('evaluates the configuration in the background and says so in the status bar', async () => {
    await wb.statusItem(/Nix: 1 configuration/).waitFor({ state: 'visible', timeout: 170_000 });
    await wb.screenshot('configuration-ready');
  });

  it('completes home-manager.users.alice.programs.git. in a module of the configuration', async () => {
    await wb.openFile('configuration.nix', 'my.backup.enable');
    const lines = readFileSync(join(folder, 'configuration.nix'), 'utf8').split('\n');
    const line = lines.findIndex((text) => text.includes('my.backup.enable')) + 1;
    await wb.typeOnNewLineAfter(line, 'home-manager.users.alice.programs.git.');
    await wb.waitForSuggestion('enable', 60_000);
    await wb.waitForSuggestion('extraConfig', 5_000);
    await wb.screenshot('completion-home-manager-in-nixos');
  });
});
