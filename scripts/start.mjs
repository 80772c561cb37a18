// `npm start`: the extension in a real VS Code with a demo workspace, in one command.
//
// With `code` on PATH it opens your VS Code with the extension loaded from this checkout. Otherwise
// it packages the extension, installs code-server (once, under .cache/) and serves VS Code on
// 127.0.0.1 with the extension installed. The demo workspace is made from demo/ on first start,
// outside the repository (scripts/demoWorkspace.mjs), so edits never touch the repository.
//
//   npm start -- [--port N] [--no-open] [--code-server]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, freePort, installExtension, startCodeServer } from './codeServer.mjs';
import { ensureDemoWorkspace } from './demoWorkspace.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache');
const profile = join(cache, 'demo-profile');
const sharedData = join(root, '..', 'shared', 'data');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const USAGE = `Usage: npm start -- [options]
  --port N        serve VS Code on 127.0.0.1:N (default: 8080, or the next free port)
  --no-open       do not open a browser
  --code-server   use code-server even when VS Code's \`code\` is on PATH
  --help          this text
The demo workspace is made in $NIX_NUR_DEMO_HOME, else $XDG_CACHE_HOME/nix-nur-demo (~/.cache/nix-nur-demo).`;

function parseArguments(argv) {
  const options = { port: undefined, open: true, codeServer: false };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--no-open') options.open = false;
    else if (argument === '--code-server') options.codeServer = true;
    else if (argument === '--help' || argument === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (argument === '--port' || argument.startsWith('--port=')) {
      const value = argument.includes('=') ? argument.slice('--port='.length) : argv[++i];
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port needs a port number (1–65535), not '${value ?? ''}'`);
      options.port = port;
    } else fail(`unknown option '${argument}'\n${USAGE}`);
  }
  return options;
}

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

function log(message) {
  console.log(`» ${message}`);
}

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

function onPath(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A fresh clone has no node_modules yet: install exactly what package-lock.json says. */
function ensureDependencies() {
  const needed = ['esbuild', 'vsce'].map((bin) => join(root, 'node_modules', '.bin', bin));
  if (needed.every((file) => existsSync(file))) return;
  log('installing the project\'s dependencies (npm ci)');
  run(npm, ['ci', '--no-audit', '--no-fund']);
}

/**
 * Makes the demo on first start only (later starts keep what the user changed), and points its
 * indexes at files: ../shared/data when this checkout has it, otherwise the channel's published
 * files (with "auto" the server would evaluate the demo's stand-in nixpkgs, which has only a
 * handful of packages).
 */
function prepareDemo() {
  const oldCopy = join(cache, 'demo-workspace');
  const demo = ensureDemoWorkspace({ repoRoot: root, log });
  if (existsSync(oldCopy)) log(`the demo now lives in ${demo.workspace}; ${oldCopy} is no longer used and can be deleted`);
  const settingsFile = join(demo.workspace, '.vscode', 'settings.json');
  let settings = {};
  if (existsSync(settingsFile)) {
    try {
      settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    } catch {
      log(`${settingsFile} is not plain JSON; leaving it as it is`);
      return demo;
    }
  }
  const local = existsSync(join(sharedData, 'nixpkgs', 'packages.json.br'));
  Object.assign(
    settings,
    local
      ? {
          'nixNur.nixpkgs.packages': join(sharedData, 'nixpkgs', 'packages.json.br'),
          'nixNur.nixos.options': join(sharedData, 'nixpkgs', 'options.json.br'),
          'nixNur.homeManager.options': join(sharedData, 'home-manager', 'options.json.br'),
          'nixNur.nur.repos': join(sharedData, 'nur', 'repos.json'),
          'nixNur.nur.packages': join(sharedData, 'nur', 'packages.json'),
        }
      : {
          'nixNur.nixpkgs.packages': settings['nixNur.nixpkgs.packages'] ?? 'https://channels.nixos.org/nixos-unstable/packages.json.br',
          'nixNur.nixos.options': settings['nixNur.nixos.options'] ?? 'https://channels.nixos.org/nixos-unstable/options.json.br',
        },
  );
  mkdirSync(dirname(settingsFile), { recursive: true });
  writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
  return demo;
}

function openBrowser(url) {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser to open: the URL is printed anyway.
  }
}

async function withVsCode(demo) {
  log('building the extension');
  run(npm, ['run', 'build']);
  log(`opening VS Code (\`code\` is on PATH) with the extension from ${root}`);
  const child = spawn('code', [`--extensionDevelopmentPath=${root}`, demo.workspace], { stdio: 'inherit', env: { ...process.env, ...demo.env } });
  child.on('exit', (code) => {
    if (code === 0) log('VS Code opened; the extension loads from this checkout (reload the window after `npm run build`)');
    process.exitCode = code ?? 1;
  });
}

async function withCodeServer(options, demo) {
  // A port in use is a reason to stop before the slow steps.
  let port = options.port;
  if (port !== undefined) {
    if ((await freePort(port)) !== port) fail(`port ${port} is in use on 127.0.0.1; pick another with --port N`);
  } else port = await freePort(8080);

  log('packaging the extension');
  // README.md links to files of the repository, which a package without a repository URL cannot
  // rewrite; the local install does not need them rewritten.
  run(npm, ['run', 'package', '--', '--no-rewrite-relative-links']);
  const layout = ensureCodeServer(cache, log);

  const userDataDir = join(profile, 'user-data');
  const extensionsDir = join(profile, 'extensions');
  const userSettings = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(userSettings)) {
    mkdirSync(dirname(userSettings), { recursive: true });
    // First start only: from then on these are the user's settings. The demo opens on its README
    // and keeps the AI chat panel out of the way.
    const initial = {
      'workbench.startupEditor': 'readme',
      'telemetry.telemetryLevel': 'off',
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    };
    writeFileSync(userSettings, `${JSON.stringify(initial, null, 2)}\n`);
  }
  installExtension(layout, { userDataDir, extensionsDir, vsix: join(root, 'nix-nur.vsix') });

  const logFile = join(profile, 'code-server.log');
  log(`starting code-server on 127.0.0.1:${port} (log: ${logFile})`);
  const server = await startCodeServer(layout, {
    port,
    userDataDir,
    extensionsDir,
    workspace: demo.workspace,
    env: demo.env,
    logFile,
    configFile: join(profile, 'code-server.yaml'),
    // The demo workspace is ours: no trust prompt before builds and flake updates.
    extraArgs: ['--disable-workspace-trust'],
  });
  const url = `${server.url}/?folder=${encodeURIComponent(demo.workspace)}`;
  console.log(`\n  VS Code with Nix & NUR: ${url}\n  ${onPath('nix') ? 'Nix found: builds and flake updates run with it.' : 'No `nix` on PATH: completion, hover and diagnostics work; builds and flake updates need Nix.'}\n  Ctrl+C stops it.\n`);
  if (options.open) openBrowser(url);

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`stopping code-server (${signal})`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl+C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('exit', () => server.stopNow());
  await server.exited;
  if (!stopping) {
    console.error(`code-server stopped by itself; see ${logFile}`);
    process.exit(1);
  }
}

const options = parseArguments(process.argv.slice(2));
try {
  ensureDependencies();
  const demo = prepareDemo();
  if (!options.codeServer && onPath('code')) await withVsCode(demo);
  else await withCodeServer(options, demo);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
