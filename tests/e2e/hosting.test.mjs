// Hosting: the release dist/ works unchanged under a path prefix on any static server, and
// the README's two recipes (deploy/nginx, deploy/django) work as written.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { distDir } from './support/standin.mjs';
import { freePort, serve, startNginx } from './support/servers.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const prefix = '/static/trakt-helper/';
const { describe } = test;

/**
 * Opens the page at `pageUrl` as a person would and completes the flow against `standin`:
 * status, link, a redirect check that says Trakt comes back to this very page, approval, and
 * the callback; every part of the page is fetched from under the same address, and each
 * feature in them opens.
 * Every file the page asks for must load. The context (from the test's `newContext`) closes
 * when the test ends.
 */
async function completeFlowAt(newContext, pageUrl, standin, { backendUrl, defaultBackend } = {}) {
  const context = await newContext(standin);
  const page = await context.newPage();
  const failed = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  const wasm = [];
  page.on('response', (response) => {
    if (response.url().endsWith('.wasm')) wasm.push(response.url());
  });
  const helper = new HelperPage(page, pageUrl);
  await helper.open();
  if (defaultBackend) await expect(helper.backendUrl(), 'the backend the page assumes').toHaveValue(defaultBackend);
  await helper.connect({ backendUrl, jwt: await standin.token() });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await expect(helper.redirectCheck()).toContainText('Trakt will send you back to this page');
  // Every part of the page is fetched right after the status, from under the page's own
  // address (relative URLs), and each feature in the parts then works there: the terminal
  // command after a failed callback, the flow to its end, then the rest.
  const { parts } = JSON.parse(await readFile(path.join(distDir, 'parts.json'), 'utf8'));
  const partFiles = Object.values(parts).flat().map((name) => `${pageUrl}${name}`);
  await expect.poll(() => partFiles.filter((url) => !wasm.includes(url)), 'every part, from under the page').toEqual([]);
  await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 503, body: '' });
  await helper.authorize();
  await helper.finishByHandToggle().click();
  await expect(helper.curlCommand()).toContainText('curl -X POST');
  await helper.authorize();
  await expect(helper.callbackResult()).toContainText('Trakt is connected.');
  await expect(helper.tokenTools()).toContainText('last about a day');
  assert.equal(helper.address(), pageUrl, 'back on the page, its address clean');
  await helper.openEveryPart();
  assert.deepEqual(wasm.filter((url) => !url.startsWith(pageUrl)), [], 'no wasm from anywhere else');
  // The page's files; the backend's refusals (the 503 above, the doctor's probes) are the flow's.
  assert.deepEqual(failed.filter((line) => line.includes(pageUrl)), [], 'every file loaded');
  assert.equal((await standin.stats()).callback_posts, 1, 'one code sent (the fault answered the first POST)');
}

/**
 * The page's own address answers with the headers that keep it out of other pages' frames
 * and out of reach of a page on another origin that opened it.
 */
async function assertKeptToItself(pageUrl) {
  const page = await fetch(pageUrl);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  assert.equal(page.headers.get('content-security-policy'), "frame-ancestors 'none'");
  assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
}

/**
 * `url` is sent compressed, from the file precompressed next to it, in each of `encodings`
 * a browser may accept; the bytes decoded are the file's own (its integrity holds).
 */
async function assertPrecompressed(url, encodings) {
  const plain = await (await fetch(url, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer();
  for (const encoding of encodings) {
    const answer = await new Promise((resolve, reject) => {
      http.get(url, { headers: { 'accept-encoding': encoding } }, resolve).on('error', reject);
    });
    const chunks = [];
    for await (const chunk of answer) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    assert.equal(answer.headers['content-encoding'], encoding, `${url} in ${encoding}`);
    assert.ok(body.length < plain.byteLength / 2, `${encoding}: ${body.length} of ${plain.byteLength} bytes`);
    const decoded = encoding === 'br' ? brotliDecompressSync(body) : gunzipSync(body);
    assert.ok(decoded.equals(Buffer.from(plain)), `${encoding}: the same bytes once decoded`);
  }
}

/** The main wasm, which index.html preloads (the parts are fetched the same way, later). */
const wasmFile = async () => /href="?\.\/([^"\s>]+\.wasm)/.exec(await readFile(path.join(distDir, 'index.html'), 'utf8'))[1];

test('served under /static/trakt-helper/ by a plain static server, the flow completes there', async ({ startStandin, newContext }) => {
  const standin = await startStandin(['--static-prefix', prefix]);
  // The API is at the origin, not under the prefix.
  await completeFlowAt(newContext, `${standin.url}${prefix}`, standin, { defaultBackend: standin.url });
  await assertKeptToItself(`${standin.url}${prefix}`);
  const outside = await fetch(`${standin.url}/index.html`);
  assert.equal(outside.status, 404, 'nothing is served outside the prefix');
});

describe('the README recipes', () => {
  test('nginx: deploy/nginx/trakt-helper.conf serves the page and proxies the backend', async ({ startStandin, newContext, onEnd }) => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    // The backend behind nginx, which sends Trakt back to the page's address under nginx.
    const standin = await startStandin(['--redirect-uri', `${origin}${prefix}`]);
    const work = await mkdtemp(path.join(tmpdir(), 'nginx-'));
    let recipe = await readFile(path.join(root, 'deploy/nginx/trakt-helper.conf'), 'utf8');
    for (const [example, here] of [['/srv/trakt-helper/dist/', `${distDir}/`], ['http://127.0.0.1:8000', standin.url]]) {
      assert.ok(recipe.includes(example), `the recipe names ${example}`);
      recipe = recipe.replaceAll(example, here);
    }
    await writeFile(path.join(work, 'trakt-helper.conf'), recipe);
    // The recipe in a minimal nginx.conf, so nginx runs unprivileged in a scratch folder.
    const server = `server { listen 127.0.0.1:${port}; include ${work}/trakt-helper.conf; }`;
    onEnd(await startNginx(work, server, `${origin}${prefix}`));
    const bare = await fetch(`${origin}/static/trakt-helper`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(new URL(bare.headers.get('location'), bare.url).pathname, prefix);
    const wasm = await fetch(`${origin}${prefix}${await wasmFile()}`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm', 'streaming compilation needs this type');
    await assertPrecompressed(`${origin}${prefix}${await wasmFile()}`, ['gzip']);
    await assertKeptToItself(`${origin}${prefix}`);
    // The backend is the page's own origin, through nginx.
    await completeFlowAt(newContext, `${origin}${prefix}`, standin, { defaultBackend: origin });
  });

  test('Django: deploy/django/settings.py serves the page with whitenoise at TRAKT_REDIRECT_URI', async ({ startStandin, newContext, onEnd }) => {
    const python = process.env.DJANGO_PYTHON;
    assert.ok(python, 'scripts/setup installs Django and sets DJANGO_PYTHON');
    const project = path.join(root, 'deploy/django');
    const env = {
      ...process.env,
      STATIC_ROOT: await mkdtemp(path.join(tmpdir(), 'django-static-')),
      TRAKT_HELPER_DIST: distDir,
    };
    const manage = (...args) => promisify(execFile)(python, ['manage.py', ...args], { cwd: project, env });
    await manage('collectstatic', '--noinput');
    const { stdout } = await manage('shell', '-c', 'from django.conf import settings; print(settings.TRAKT_REDIRECT_URI)');
    const redirectPath = new URL(stdout.trim().split('\n').pop()).pathname;
    assert.equal(redirectPath, prefix);

    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    // Here Django serves only the page; the stand-in is the API, on another origin (CORS).
    const standin = await startStandin(['--cors-origin', origin, '--redirect-uri', `${origin}${redirectPath}`]);
    onEnd(await serve(python, ['manage.py', 'runserver', '--noreload', `127.0.0.1:${port}`], `${origin}${prefix}`, { cwd: project, env }));
    const bare = await fetch(`${origin}/static/trakt-helper`, { redirect: 'manual' });
    assert.equal(new URL(bare.headers.get('location'), bare.url).pathname, prefix);
    const wasm = await fetch(`${origin}${prefix}${await wasmFile()}`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    await assertPrecompressed(`${origin}${prefix}${await wasmFile()}`, ['br', 'gzip']);
    await assertKeptToItself(`${origin}${prefix}`);
    await completeFlowAt(newContext, `${origin}${prefix}`, standin, { backendUrl: standin.url });
  });
});
