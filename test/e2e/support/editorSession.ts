// One real VS Code for a test file: a fresh code-server profile with the packaged extension
// installed and the given user settings, code-server on 127.0.0.1 in its own process group, and
// headless Chromium showing it. `close()` ends all of it, and so does the test process's exit.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { codeServerLayout, freePort, installExtension, startCodeServer, type RunningCodeServer } from '../../../scripts/codeServer.mjs';

export interface EditorSessionOptions {
  /** Directory code-server is cached under (see scripts/codeServer.mjs). */
  codeServerCache: string;
  vsix: string;
  /** Where the profile, the code-server log and the browser's data go. */
  stateDir: string;
  folder: string;
  settings: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  chromium: string;
}

export interface EditorSession {
  page: Page;
  url: string;
  logFile: string;
  /** Why the extension host could not activate an extension, when its log says so. */
  activationError(extensionId: string): string | undefined;
  close(): Promise<void>;
}

/** Reads the extension host logs of a profile for "Activating extension … failed" and what follows. */
function activationErrorIn(userDataDir: string, extensionId: string): string | undefined {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return undefined;
  for (const session of readdirSync(logs)) {
    const sessionDir = join(logs, session);
    for (const host of existsSync(sessionDir) ? readdirSync(sessionDir).filter((name) => name.startsWith('exthost')) : []) {
      const file = join(sessionDir, host, 'remoteexthost.log');
      if (!existsSync(file)) continue;
      const lines = readFileSync(file, 'utf8').split('\n');
      const index = lines.findIndex((line) => line.includes(`Activating extension ${extensionId} failed`));
      if (index >= 0) return lines.slice(index, index + 4).join('\n');
    }
  }
  return undefined;
}

/** Quiet, predictable defaults: no welcome pages, tips, update checks or AI panels. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.editor.enablePreview': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'security.workspace.trust.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  // VS Code in a browser saves a second after each edit; the tests type half-finished code and
  // revert it, and it must never reach the disk (where Nix would read it).
  'files.autoSave': 'off',
};

export async function startEditorSession(options: EditorSessionOptions): Promise<EditorSession> {
  const layout = codeServerLayout(options.codeServerCache);
  const userDataDir = join(options.stateDir, 'user-data');
  const extensionsDir = join(options.stateDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2));
  installExtension(layout, { userDataDir, extensionsDir, vsix: options.vsix });

  const logFile = join(options.stateDir, 'code-server.log');
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  // Whatever ends this process, code-server's process group goes with it.
  const onExit = () => server?.stopNow();
  const onSignal = (signal: NodeJS.Signals) => {
    server?.stopNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const close = async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  try {
    server = await startCodeServer(layout, {
      port: await freePort(),
      userDataDir,
      extensionsDir,
      workspace: options.folder,
      logFile,
      configFile: join(options.stateDir, 'code-server.yaml'),
      extraArgs: ['--disable-workspace-trust'],
      env: options.env,
    });
    browser = await chromium.launch({
      executablePath: options.chromium,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(options.folder)}`);
    return { page, url: server.url, logFile, activationError: (id) => activationErrorIn(userDataDir, id), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A session showing an end-to-end workspace (see e2eWorkspace.ts) with the given user settings. */
export function startWorkspaceSession(
  workspace: { root: string; folder: string; env: NodeJS.ProcessEnv },
  setup: { codeServerCache: string; vsix: string; chromium: string },
  settings: Record<string, unknown>,
): Promise<EditorSession> {
  return startEditorSession({ ...setup, stateDir: join(workspace.root, 'editor'), folder: workspace.folder, env: workspace.env, settings });
}
