// Start-up: the page runs only its own files as built (a changed byte in any script or wasm
// file stops that file from running; crash.test.mjs has a wasm that traps as it starts).
import assert from 'node:assert/strict';
import http from 'node:http';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { distDir, startStandin } from './support/standin.mjs';
import { sri } from './support/dist-files.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { expect, scoped, test } from './support/fixtures.mjs';

const { describe } = test;
let standin;
/** A copy of dist/ that the stand-in serves, changed by a test and put back after it. */
let served;
let parts;
const pristine = new Map();

test.beforeAll(async () => {
  served = await mkdtemp(path.join(tmpdir(), 'dist-start-up-'));
  await cp(distDir, served, { recursive: true });
  for (const entry of await readdir(served, { withFileTypes: true })) {
    if (entry.isFile()) pristine.set(entry.name, await readFile(path.join(served, entry.name)));
  }
  ({ parts } = JSON.parse(pristine.get('parts.json')));
  standin = await startStandin(['--static', served]);
});

test.afterAll(async () => {
  await standin?.stop();
  if (served) await rm(served, { recursive: true, force: true });
});

test.afterEach(async () => {
  for (const [name, bytes] of pristine) await writeFile(path.join(served, name), bytes);
  await standin.reset();
});

/**
 * Opens the helper in a fresh context from `newContext` (the test's, or a scope's), with
 * `storageState` when given, recording every request that carries an Authorization header.
 */
async function openRecordingJwt(newContext, storageState, server = standin) {
  // What the page stored is kept by origin: the same, at the origin of `server`.
  const state = storageState && { ...storageState, origins: storageState.origins.map((stored) => ({ ...stored, origin: server.url })) };
  const context = await newContext(standin, state ? { storageState: state } : {});
  const page = await context.newPage();
  const authorized = [];
  page.on('request', (request) => {
    // A request still under way when the context closes has no headers left to read.
    request.headerValue('authorization').then((value) => value && authorized.push(request.url()), () => {});
  });
  const helper = new HelperPage(page, `${server.url}/`);
  await page.goto(helper.url);
  return { context, helper, authorized };
}

/** The storage of a page (in `browser`) on which a person ticked “Remember” and typed a JWT: a new tab sends it at once. */
async function rememberedJwt(browser) {
  const state = await scoped(browser, standin, async ({ newContext }) => {
    const { context, helper } = await openRecordingJwt(newContext);
    await helper.rememberBox().check();
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await expect.poll(async () => Object.keys((await helper.stored()).local).length, { message: 'remembered in localStorage' }).toBeGreaterThan(0);
    return context.storageState();
  });
  await standin.reset();
  return state;
}

/**
 * A server in front of the stand-in that sends index.html in two pieces, as a slow network
 * can: all up to the start-up script's tag, then the rest half a second later. The start-up
 * script's imports are then fetched before the browser reads the preloads (and their
 * integrity) further down. It closes at `onEnd` (the test's).
 */
async function slowPageProxy(onEnd) {
  const server = http.createServer((request, response) => {
    const upstream = http.request(new URL(request.url, standin.url), { method: request.method, headers: request.headers }, (answer) => {
      if (!(answer.headers['content-type'] ?? '').startsWith('text/html')) {
        response.writeHead(answer.statusCode, answer.headers);
        answer.pipe(response);
        return;
      }
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        const html = Buffer.concat(chunks).toString('utf8');
        const start = html.indexOf('<script type="module"');
        const cut = start < 0 ? html.length : html.indexOf('</script>', start) + '</script>'.length;
        const { 'content-length': _, ...headers } = answer.headers;
        response.writeHead(answer.statusCode, headers);
        response.write(html.slice(0, cut));
        setTimeout(() => response.end(html.slice(cut)), 500);
      });
    });
    request.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  onEnd(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${server.address().port}` };
}

/** One file of `served`, by the role it plays. */
const servedNames = () => [...pristine.keys()];
// `later` first: the page loads it by itself right after the status, so the chunk it shares
// with `tools` is tried without opening anything.
const partOf = (name) => ['later', 'tools'].find((part) => parts[part]?.includes(name));

/**
 * `bytes` with a change that leaves the file working: a newline after a script or a style
 * sheet, an empty custom section after a wasm module. Only the integrity checks can stop
 * such a file from running.
 */
function changed(name, bytes) {
  const tail = name.endsWith('.wasm') ? [0x00, 0x02, 0x01, 0x61] : [0x0a];
  return Buffer.concat([bytes, Buffer.from(tail)]);
}

/** Whether the browser said it refused `name` for its integrity. */
const refusal = (helper, name) => helper.console.some((line) => line.includes(name) && /integrity/i.test(line));

/** Waits until the browser said it refused `name` for its integrity. */
function refused(helper, name) {
  return expect.poll(() => refusal(helper, name), { message: `${name} refused for its integrity:\n${helper.console.join('\n')}` }).toBe(true);
}

/** Opens the part `part` in a page that has a JWT and says Trakt is not connected. */
async function openPart(helper, part) {
  switch (part) {
    case 'later':
      return undefined; // fetched and built right after the status, by itself
    case 'tools':
      return helper.runDoctor();
    default:
      throw new Error(`no way to open ${part}`);
  }
}

describe('every file the page runs is checked before it runs', () => {
  let remembered;
  test.beforeAll(async ({ browser }) => {
    remembered = await rememberedJwt(browser);
  });

  test('as built, the page starts and sends the remembered JWT to its backend', async ({ newContext }) => {
    const { helper, authorized } = await openRecordingJwt(newContext, remembered);
    await helper.backendUrl().waitFor();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    assert.ok(authorized.length > 0, 'the status was asked with the JWT');
    await expect(helper.startingNotice()).toHaveCount(0);
    await expect(helper.crashNotice()).toHaveCount(0);
    const seen = await standin.authorized();
    assert.ok(seen.length > 0, 'the stand-in saw it');
  });

  // The start-up script, the glue, the split loader and the main wasm: with any of them
  // changed, nothing of the page runs and the JWT goes nowhere.
  const startFiles = () => servedNames().filter((name) => /\.(js|wasm)$/.test(name) && !partOf(name));

  test('a changed start-up script, glue, loader or main wasm: the page never starts, nothing is sent', async ({ onEnd, scope }) => {
    const files = startFiles();
    assert.ok(files.some((name) => name.startsWith('init-')), files.join());
    assert.ok(files.some((name) => name.startsWith('__wasm_split-')), files.join());
    assert.ok(files.some((name) => name.endsWith('_bg.wasm')), files.join());
    assert.equal(files.length, 4, files.join());
    const slow = await slowPageProxy(onEnd);
    // Every file and way of serving is tried, and what went wrong with each is told at the end.
    const ran = [];
    for (const [server, how] of [[standin, 'served at once'], [slow, 'index.html in two pieces']]) {
      for (const name of files) {
        await writeFile(path.join(served, name), changed(name, pristine.get(name)));
        await scope(async ({ newContext }) => {
          const { helper, authorized } = await openRecordingJwt(newContext, remembered, server);
          // Refused, or mounted: then whatever would run has a second more to do so.
          await expect.poll(async () => refusal(helper, name) || (await helper.backendUrl().count()) > 0).toBe(true).catch(() => {});
          await helper.page.waitForTimeout(1000);
          const what = `${name}, ${how}`;
          if (await helper.backendUrl().count()) ran.push(`${what}: the page mounted`);
          if (authorized.length) ran.push(`${what}: the JWT was sent`);
          if ((await standin.authorized()).length) ran.push(`${what}: the stand-in saw the JWT`);
          if (!refusal(helper, name)) ran.push(`${what}: not refused for its integrity`);
          if (!((await helper.startingNotice().textContent({ timeout: 1000 }).catch(() => '')) ?? '').includes('did not all arrive intact')) {
            ran.push(`${what}: the “Starting…” line is gone`);
          }
        });
        await writeFile(path.join(served, name), pristine.get(name));
        await standin.reset();
      }
    }
    assert.deepEqual(ran, []);
  });

  test('index.html in two pieces, as built: the page starts', async ({ onEnd, newContext }) => {
    const slow = await slowPageProxy(onEnd);
    const { helper, authorized } = await openRecordingJwt(newContext, remembered, slow);
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    assert.ok(authorized.length > 0);
  });

  test('a changed file of a part: that part never runs, the page says it could not be loaded', async ({ scope }) => {
    const files = servedNames().filter((name) => partOf(name));
    assert.equal(files.length, new Set(Object.values(parts).flat()).size, 'every part file is checked');
    for (const name of files) {
      const part = partOf(name);
      await writeFile(path.join(served, name), changed(name, pristine.get(name)));
      await scope(async ({ newContext }) => {
        const { helper } = await openRecordingJwt(newContext, remembered);
        await expect(helper.status()).toContainText('Not connected to Trakt.');
        await openPart(helper, part);
        await refused(helper, name);
        // One notice for each place the part fills (`later` fills several).
        await helper.partMissing().first().waitFor();
        await expect(helper.crashNotice(), `${name} (${part}): no crash`).toHaveCount(0);
      });
      await writeFile(path.join(served, name), pristine.get(name));
      await standin.reset();
    }
  });

  test('a host that sends the main wasm without application/wasm: the page starts all the same', async ({ newContext }) => {
    const context = await newContext(standin);
    await context.route('**/*_bg.wasm', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
    });
    const helper = new HelperPage(await context.newPage(), `${standin.url}/`);
    await helper.open();
    await helper.backendUrl().waitFor();
    await expect(helper.crashNotice()).toHaveCount(0);
  });

  test('a changed style sheet is not applied', async ({ newContext }) => {
    const [name] = servedNames().filter((file) => file.endsWith('.css'));
    await writeFile(path.join(served, name), changed(name, pristine.get(name)));
    const { helper } = await openRecordingJwt(newContext, remembered);
    await refused(helper, name);
    assert.equal(await helper.page.evaluate(() => document.querySelector('link[rel=stylesheet]').sheet), null);
  });

  test('index.html names every script and wasm file of dist/, each with its integrity', async () => {
    // index.html is where the checks start: it cannot check itself. Every other file that
    // runs has its integrity in index.html, or in a file that index.html checks.
    const checked = new Set(['index.html']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const name of servedNames()) {
        if (checked.has(name) || !/\.(js|wasm|css)$/.test(name)) continue;
        const integrity = sri(pristine.get(name));
        if ([...checked].some((by) => pristine.get(by).toString('utf8').includes(integrity))) {
          checked.add(name);
          grew = true;
        }
      }
    }
    const unchecked = servedNames().filter((name) => /\.(js|wasm|css)$/.test(name) && !checked.has(name));
    assert.deepEqual(unchecked, []);
  });
});
