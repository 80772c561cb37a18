// The README's first command as a newcomer runs it: `npm start -- --no-open` in a fresh clone
// (no node_modules, no code-server, no demo yet), waited on until it prints the URL, the URL
// answers, and the extension has activated in the VS Code it serves (a headless Chromium opens
// the page, as the newcomer's browser would), with at most one message about its indexes; then
// Ctrl+C, which must stop everything cleanly.
//
//   node .ci/npm-start-check.mjs CLONE SCREENSHOT
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

const [clone, screenshot] = process.argv.slice(2);
if (!clone || !screenshot) {
  console.error('usage: node .ci/npm-start-check.mjs CLONE SCREENSHOT');
  process.exit(2);
}
const INSTALL_TIMEOUT_MS = 30 * 60_000;
const ACTIVATION_TIMEOUT_MS = 3 * 60_000;
const SETTLE_TIMEOUT_MS = 90_000;

function fail(message) {
  console.error(`npm start check: ${message}`);
  process.exitCode = 1;
}

function chromiumPath() {
  if (process.env.NIX_NUR_CHROMIUM) return process.env.NIX_NUR_CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error('no Chromium on PATH to open the URL with');
}

/** "Activating extension … failed" in the extension host logs of the demo's profile, if any. */
function activationFailure(profile) {
  const logs = join(profile, 'user-data', 'logs');
  if (!existsSync(logs)) return undefined;
  for (const session of readdirSync(logs)) {
    for (const host of readdirSync(join(logs, session)).filter((name) => name.startsWith('exthost'))) {
      const file = join(logs, session, host, 'remoteexthost.log');
      if (!existsSync(file)) continue;
      const lines = readFileSync(file, 'utf8').split('\n');
      const index = lines.findIndex((line) => line.includes('Activating extension nix-nur.nix-nur failed'));
      if (index >= 0) return lines.slice(index, index + 4).join('\n');
    }
  }
  return undefined;
}

// The demo goes where a newcomer's would, but fresh for this run.
const demoHome = mkdtempSync(join(tmpdir(), 'nix-nur-start-demo-'));
const started = Date.now();
const child = spawn('npm', ['start', '--', '--no-open'], {
  cwd: clone,
  env: { ...process.env, NIX_NUR_DEMO_HOME: demoHome },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
let output = '';
const url = new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no URL within ${INSTALL_TIMEOUT_MS / 60_000} minutes`)), INSTALL_TIMEOUT_MS);
  const onData = (stream) => (chunk) => {
    const text = chunk.toString();
    stream.write(text);
    output += text;
    const match = /VS Code with Nix & NUR: (http:\/\/\S+)/.exec(output);
    if (match) {
      clearTimeout(timer);
      resolve(match[1]);
    }
  };
  child.stdout.on('data', onData(process.stdout));
  child.stderr.on('data', onData(process.stderr));
  void exited.then(({ code, signal }) => {
    clearTimeout(timer);
    reject(new Error(`npm start exited (${code ?? signal}) before printing the URL`));
  });
});

let browser;
try {
  const address = await url;
  console.log(`npm start check: URL after ${Math.round((Date.now() - started) / 1000)} s: ${address}`);
  const health = await fetch(new URL('/healthz', address));
  if (!health.ok) throw new Error(`${address}/healthz answered ${health.status}`);

  // playwright-core from the clone's own dependencies (npm start installed them).
  const { chromium } = createRequire(join(clone, 'package.json'))('playwright-core');
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(address);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  // The extension's status item ("Nix…") appears once it has activated and its server started.
  const status = page.locator('.part.statusbar .statusbar-item').filter({ hasText: /^\s*Nix\b/ });
  const deadline = Date.now() + ACTIVATION_TIMEOUT_MS;
  const profile = join(clone, '.cache', 'demo-profile');
  while (!(await status.first().isVisible())) {
    const failure = activationFailure(profile);
    if (failure) throw new Error(`the extension failed to activate:\n${failure}`);
    if (Date.now() > deadline) throw new Error('the extension did not activate (no "Nix" status item) within 3 minutes');
    await status.first().waitFor({ state: 'visible', timeout: 2_000 }).catch(() => {});
  }
  console.log(`npm start check: the extension activated (status: ${(await status.first().innerText()).trim()})`);
  // Once the indexes are loaded or have failed (offline, as CI is), a newcomer has at most one
  // message about them, not one per index.
  const settled = Date.now() + SETTLE_TIMEOUT_MS;
  while (/indexing/.test(await status.first().innerText()) && Date.now() < settled) await page.waitForTimeout(1_000);
  if (!/indexing/.test(await status.first().innerText())) {
    await page.waitForTimeout(3_000);
    const toasts = await page.locator('.notifications-toasts .notification-toast').filter({ hasText: /^Nix:|\bNix: / }).allInnerTexts();
    console.log(`npm start check: index messages: ${toasts.length ? toasts.map((text) => text.replace(/\s+/g, ' ').trim()).join(' | ') : 'none'}`);
    if (toasts.length > 1) throw new Error(`${toasts.length} messages about the indexes instead of at most one`);
  }
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await browser?.close().catch(() => {});
  // Ctrl+C, as the newcomer stops it: npm start must stop code-server and exit.
  try {
    process.kill(-child.pid, 'SIGINT');
  } catch {
    // Already gone.
  }
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000));
  const result = await Promise.race([exited, timeout]);
  if (result === 'timeout') {
    fail('npm start did not stop within 30 s of Ctrl+C');
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  } else if (process.exitCode !== 1 && result.code !== 0 && result.code !== 130 && result.signal !== 'SIGINT') {
    fail(`npm start exited with ${result.code ?? result.signal} after Ctrl+C`);
  }
  rmSync(demoHome, { recursive: true, force: true });
}
if (process.exitCode === 1) process.exit(1);
console.log('npm start check: passed');
