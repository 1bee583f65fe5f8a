// The README's first command: `scripts/start` serves the helper with trunk and the
// stand-in, and the whole flow completes in the browser without leaving this machine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openContext } from './support/browser.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { eventually, textContains } from './support/wait.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const helperPort = 18080;
let start;
let output = '';
let browser;

before(async () => {
  start = spawn('bash', ['scripts/start'], {
    cwd: root,
    detached: true,
    env: { ...process.env, HELPER_PORT: String(helperPort), STANDIN_PORT: '18000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout.on('data', (chunk) => (output += chunk));
  start.stderr.on('data', (chunk) => (output += chunk));
  // The first start builds the debug bundle; later ones reuse it.
  await eventually(
    async () => {
      assert.equal(start.exitCode, null, `scripts/start exited:\n${output}`);
      const response = await fetch(`http://127.0.0.1:${helperPort}/`);
      assert.equal(response.status, 200);
    },
    { timeout: 300_000, interval: 500 },
  );
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (start?.exitCode === null) process.kill(-start.pid, 'SIGTERM');
});

test('scripts/start serves the page, a return address included, kept to itself', async () => {
  for (const address of ['/', '/?code=x&state=1']) {
    const page = await fetch(`http://127.0.0.1:${helperPort}${address}`);
    assert.equal(page.status, 200, address);
    assert.equal(page.headers.get('x-frame-options'), 'DENY', address);
    assert.equal(page.headers.get('content-security-policy'), "frame-ancestors 'none'", address);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin', address);
  }
});

test('scripts/start serves the helper and the stand-in; the flow completes', async (t) => {
  const jwt = /JWT for alice[^:]*: (\S+)/.exec(output)?.[1];
  assert.ok(jwt, `scripts/start printed no JWT:\n${output}`);
  const page = await (await openContext(t, browser)).newPage();
  const helper = new HelperPage(page, `http://127.0.0.1:${helperPort}/`);
  await helper.open();
  assert.equal(await helper.backendUrl().inputValue(), `http://127.0.0.1:${helperPort}`);
  await helper.connect({ jwt });
  await textContains(helper.status(), 'Not connected to Trakt.');
  await textContains(helper.standinNotice(), 'stand-in authorize page');
  await textContains(helper.redirectCheck(), 'Trakt will send you back to this page');
  await helper.authorize();
  await textContains(helper.callbackResult(), 'Trakt is connected. The token expires');
  await textContains(helper.status(), 'Connected — the Trakt token expires');
  assert.equal(helper.address(), `http://127.0.0.1:${helperPort}/`);
});
