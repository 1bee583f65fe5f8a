// The README's first command: `scripts/start` serves the helper with trunk and the
// stand-in, and the whole flow completes in the browser without leaving this machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const helperPort = 18080;
let start;
let output = '';

test.beforeAll(async () => {
  // The first start builds the debug bundle; later ones reuse it.
  test.setTimeout(330_000);
  start = spawn('bash', ['scripts/start'], {
    cwd: root,
    detached: true,
    env: { ...process.env, HELPER_PORT: String(helperPort), STANDIN_PORT: '18000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout.on('data', (chunk) => (output += chunk));
  start.stderr.on('data', (chunk) => (output += chunk));
  await expect
    .poll(
      async () => {
        if (start.exitCode !== null) return `scripts/start exited:\n${output}`;
        return fetch(`http://127.0.0.1:${helperPort}/`).then((response) => response.status, (error) => error.message);
      },
      { timeout: 300_000, intervals: [500] },
    )
    .toBe(200);
});

test.afterAll(() => {
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

test('scripts/start serves the helper and the stand-in; the flow completes', async ({ newContext }) => {
  const jwt = /JWT for alice[^:]*: (\S+)/.exec(output)?.[1];
  assert.ok(jwt, `scripts/start printed no JWT:\n${output}`);
  const page = await (await newContext()).newPage();
  const helper = new HelperPage(page, `http://127.0.0.1:${helperPort}/`);
  await helper.open();
  await expect(helper.backendUrl()).toHaveValue(`http://127.0.0.1:${helperPort}`);
  await helper.connect({ jwt });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await expect(helper.standinNotice()).toContainText('stand-in authorize page');
  await expect(helper.redirectCheck()).toContainText('Trakt will send you back to this page');
  await helper.authorize();
  await expect(helper.callbackResult()).toContainText('Trakt is connected. The token expires');
  await expect(helper.status()).toContainText('Connected — the Trakt token expires');
  assert.equal(helper.address(), `http://127.0.0.1:${helperPort}/`);
});
