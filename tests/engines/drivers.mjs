// The WebDriver servers of Debian's Firefox ESR (geckodriver) and WebKitGTK (WebKitWebDriver),
// each started on a free loopback port, WebKit's on a display of its own Xvfb, and the
// sessions opened on them with selenium-webdriver. The tests' pages are all on loopback;
// Firefox's own background services are turned off or sent to a closed loopback port by the
// prefs in webdriver.json.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Capabilities, WebDriver } from 'selenium-webdriver';
import { Executor, HttpClient } from 'selenium-webdriver/http/index.js';
import { freePort } from '../e2e/support/servers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Firefox's options as the component tests give them to wasm-bindgen-test-runner
 * (webdriver.json at the root: the prefs that keep its background services quiet), headless.
 */
function firefoxOptions() {
  const shared = JSON.parse(readFileSync(path.join(root, 'webdriver.json'), 'utf8'))['moz:firefoxOptions'] ?? {};
  return {
    ...shared,
    binary: process.env.FIREFOX || '/usr/bin/firefox-esr',
    args: [...(shared.args ?? []), '-headless'],
  };
}

export const engines = {
  firefox: {
    driver: () => process.env.GECKODRIVER || 'geckodriver',
    args: (port) => ['--host', '127.0.0.1', '--port', String(port)],
    capabilities: () => ({
      browserName: 'firefox',
      'moz:firefoxOptions': firefoxOptions(),
    }),
  },
  webkit: {
    driver: () => process.env.WEBKIT_WEBDRIVER || 'WebKitWebDriver',
    args: (port) => ['--host=127.0.0.1', `--port=${port}`],
    // WebKitWebDriver starts Debian's MiniBrowser, WebKitGTK's own browser, in automation
    // mode. It asks nothing by itself; WebDriver's `proxy` capability is not given: with it,
    // one session in a few hung in WebKitGTK 2.50 (a new session or its first page never
    // answered), without it none in 80.
    capabilities: () => ({
      'webkitgtk:browserOptions': { args: ['--automation'] },
    }),
    // A display of its own, and the machine's POSIX locale (WebKit then reports the language
    // as `C`, which Intl refuses: the page must go on regardless).
    display: true,
    env: { LANG: 'C.UTF-8', LC_ALL: undefined, LANGUAGE: undefined },
  },
};

/** Starts a process, failing if it exits before `ready` resolves. Returns the child. */
function start(command, args, options, what) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  let errors = '';
  child.stderr?.on('data', (chunk) => {
    errors = (errors + chunk).slice(-4000);
  });
  child.failed = new Promise((_, reject) => {
    child.once('error', (error) => reject(new Error(`${what}: ${error.message}`)));
    child.once('exit', (code, signal) => reject(new Error(`${what} exited (${code ?? signal}): ${errors}`)));
  });
  child.failed.catch(() => {});
  return child;
}

async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Xvfb on a display it picks itself (-displayfd), for WebKit's window. */
async function startXvfb() {
  const child = start('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] }, 'Xvfb');
  const display = await Promise.race([
    new Promise((resolve) => {
      let out = '';
      child.stdio[3].on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve(`:${out.trim()}`);
      });
    }),
    child.failed,
    timeout(10_000, 'Xvfb did not say its display within 10 s'),
  ]);
  return { display, stop: () => stop(child) };
}

const timeout = (ms, message) => new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());

async function waitUntilReady(url, child, what) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const answer = await Promise.race([fetch(`${url}/status`), child.failed]);
      if (answer.ok) return;
    } catch (error) {
      if (child.exitCode !== null || child.signalCode !== null) throw error;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url} within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts `engine`'s WebDriver server (under its own Xvfb for WebKit). Returns its URL, a way
 * to open a session, and `stop`.
 */
export async function startDriverServer(name) {
  const engine = engines[name];
  if (!engine) throw new Error(`no engine called ${name}`);
  const xvfb = engine.display ? await startXvfb() : undefined;
  try {
    const env = { ...process.env, ...(xvfb ? { DISPLAY: xvfb.display } : {}) };
    for (const [key, value] of Object.entries(engine.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    // A port that was free a moment ago may be taken by the time the driver binds: try again.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = start(engine.driver(), engine.args(port), { env }, `${name}'s WebDriver server`);
      try {
        await waitUntilReady(url, child, `${name}'s WebDriver server`);
      } catch (error) {
        await stop(child);
        if (attempt < 3) continue;
        throw error;
      }
      return {
        url,
        newSession: () => newSession(url, engine.capabilities()),
        stop: async () => {
          await stop(child);
          await xvfb?.stop();
        },
      };
    }
  } catch (error) {
    await xvfb?.stop();
    throw error;
  }
}

async function newSession(url, capabilities) {
  const driver = await WebDriver.createSession(new Executor(new HttpClient(url)), new Capabilities(capabilities));
  await driver.manage().setTimeouts({ pageLoad: 30_000, script: 30_000 });
  return driver;
}
