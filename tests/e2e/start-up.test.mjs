// Start-up: the page runs only its own files as built (a changed byte in any script or wasm
// file stops that file from running), and a crash, even one that leaves the wasm dead,
// shows a notice with a way out.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import binaryen from 'binaryen';
import { distDir, startStandin } from './support/standin.mjs';
import { launchBrowser, newContext } from './support/browser.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { eventually, textContains } from './support/wait.mjs';

let browser;
let standin;
/** A copy of dist/ that the stand-in serves, changed by a test and put back after it. */
let served;
let parts;
const pristine = new Map();

before(async () => {
  browser = await launchBrowser();
  served = await mkdtemp(path.join(tmpdir(), 'dist-start-up-'));
  await cp(distDir, served, { recursive: true });
  for (const entry of await readdir(served, { withFileTypes: true })) {
    if (entry.isFile()) pristine.set(entry.name, await readFile(path.join(served, entry.name)));
  }
  ({ parts } = JSON.parse(pristine.get('parts.json')));
  standin = await startStandin(['--static', served]);
});

after(async () => {
  await browser?.close();
  await standin?.stop();
  if (served) await rm(served, { recursive: true, force: true });
});

afterEach(async () => {
  for (const [name, bytes] of pristine) await writeFile(path.join(served, name), bytes);
  await standin.reset();
});

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/**
 * Opens the helper in a fresh context (with `storageState`, when given), recording every
 * request that carries an Authorization header.
 */
async function openHelper(storageState, server = standin) {
  // What the page stored is kept by origin: the same, at the origin of `server`.
  const state = storageState && { ...storageState, origins: storageState.origins.map((stored) => ({ ...stored, origin: server.url })) };
  const context = await newContext(browser, standin, state ? { storageState: state } : {});
  const page = await context.newPage();
  const authorized = [];
  page.on('request', async (request) => {
    if (await request.headerValue('authorization')) authorized.push(request.url());
  });
  const helper = new HelperPage(page, `${server.url}/`);
  await page.goto(helper.url);
  return { context, helper, authorized };
}

/** The storage of a page on which a person ticked “Remember” and typed a JWT: a new tab sends it at once. */
async function rememberedJwt() {
  const { context, helper } = await openHelper();
  await helper.rememberBox().check();
  await helper.connect({ jwt: await standin.token() });
  await textContains(helper.status(), 'Not connected to Trakt.');
  await eventually(async () => {
    const { local } = await helper.stored();
    assert.ok(Object.keys(local).length > 0, 'remembered in localStorage');
  });
  const state = await context.storageState();
  await context.close();
  await standin.reset();
  return state;
}

/**
 * A server in front of the stand-in that sends index.html in two pieces, as a slow network
 * can: all up to the start-up script's tag, then the rest half a second later. The start-up
 * script's imports are then fetched before the browser reads the preloads (and their
 * integrity) further down.
 */
async function slowPageProxy() {
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
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** One file of `served`, by the role it plays. */
const servedNames = () => [...pristine.keys()];
// `later` first: the page loads it by itself right after the status, so a chunk it shares
// with another part is tried without opening anything.
const partOf = (name) => ['later', 'paste', 'sign_in', 'doctor', 'credentials', 'token_tools', 'terminal'].find((part) => parts[part]?.includes(name));

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
  return eventually(() => assert.ok(refusal(helper, name), `${name} refused for its integrity:\n${helper.console.join('\n')}`));
}

/** Opens the part `part` in a page that has a JWT and says Trakt is not connected. */
async function openPart(helper, part) {
  switch (part) {
    case 'later':
      return undefined; // fetched and built right after the status, by itself
    case 'paste':
      return helper.openPaste();
    case 'sign_in':
      return helper.openSignIn();
    case 'doctor':
      return helper.runDoctor();
    case 'credentials':
      return helper.openCredentials();
    case 'terminal':
      await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 503, body: '' });
      await helper.authorize();
      await helper.callbackProblem().waitFor();
      return helper.finishByHandToggle().click();
    case 'token_tools':
      return helper.authorize();
    default:
      throw new Error(`no way to open ${part}`);
  }
}

describe('every file the page runs is checked before it runs', () => {
  let remembered;
  before(async () => {
    remembered = await rememberedJwt();
  });

  test('as built, the page starts and sends the remembered JWT to its backend', async () => {
    const { context, helper, authorized } = await openHelper(remembered);
    await helper.backendUrl().waitFor();
    await textContains(helper.status(), 'Not connected to Trakt.');
    assert.ok(authorized.length > 0, 'the status was asked with the JWT');
    assert.equal(await helper.startingNotice().count(), 0);
    assert.equal(await helper.crashNotice().count(), 0);
    const seen = (await standin.stats()).requests.filter((r) => r.authorization);
    assert.ok(seen.length > 0, 'the stand-in saw it');
    await context.close();
  });

  // The start-up script, the glue, the split loader and the main wasm: with any of them
  // changed, nothing of the page runs and the JWT goes nowhere.
  const startFiles = () => servedNames().filter((name) => /\.(js|wasm)$/.test(name) && !partOf(name));

  test('a changed start-up script, glue, loader or main wasm: the page never starts, nothing is sent', async () => {
    const files = startFiles();
    assert.ok(files.some((name) => name.startsWith('init-')), files.join());
    assert.ok(files.some((name) => name.startsWith('__wasm_split-')), files.join());
    assert.ok(files.some((name) => name.endsWith('_bg.wasm')), files.join());
    assert.equal(files.length, 4, files.join());
    const slow = await slowPageProxy();
    // Every file and way of serving is tried, and what went wrong with each is told at the end.
    const ran = [];
    try {
      for (const [server, how] of [[standin, 'served at once'], [slow, 'index.html in two pieces']]) {
        for (const name of files) {
          await writeFile(path.join(served, name), changed(name, pristine.get(name)));
          const { context, helper, authorized } = await openHelper(remembered, server);
          // Refused, or mounted: then whatever would run has a second more to do so.
          await eventually(async () => assert.ok(refusal(helper, name) || (await helper.backendUrl().count()) > 0)).catch(() => {});
          await helper.page.waitForTimeout(1000);
          const what = `${name}, ${how}`;
          if (await helper.backendUrl().count()) ran.push(`${what}: the page mounted`);
          if (authorized.length) ran.push(`${what}: the JWT was sent`);
          if ((await standin.stats()).requests.some((r) => r.authorization)) ran.push(`${what}: the stand-in saw the JWT`);
          if (!refusal(helper, name)) ran.push(`${what}: not refused for its integrity`);
          if (!((await helper.startingNotice().textContent({ timeout: 1000 }).catch(() => '')) ?? '').includes('did not all arrive intact')) {
            ran.push(`${what}: the “Starting…” line is gone`);
          }
          await context.close();
          await writeFile(path.join(served, name), pristine.get(name));
          await standin.reset();
        }
      }
    } finally {
      await slow.close();
    }
    assert.deepEqual(ran, []);
  });

  test('index.html in two pieces, as built: the page starts', async () => {
    const slow = await slowPageProxy();
    try {
      const { context, helper, authorized } = await openHelper(remembered, slow);
      await textContains(helper.status(), 'Not connected to Trakt.');
      assert.ok(authorized.length > 0);
      await context.close();
    } finally {
      await slow.close();
    }
  });

  test('a changed file of a part: that part never runs, the page says it could not be loaded', async () => {
    const files = servedNames().filter((name) => partOf(name));
    assert.equal(files.length, new Set(Object.values(parts).flat()).size, 'every part file is checked');
    for (const name of files) {
      const part = partOf(name);
      await writeFile(path.join(served, name), changed(name, pristine.get(name)));
      const { context, helper } = await openHelper(remembered);
      await textContains(helper.status(), 'Not connected to Trakt.');
      await openPart(helper, part);
      await refused(helper, name);
      // One notice for each place the part fills (`later` fills four).
      await helper.partMissing().first().waitFor();
      assert.equal(await helper.crashNotice().count(), 0, `${name} (${part}): no crash`);
      await context.close();
      await writeFile(path.join(served, name), pristine.get(name));
      await standin.reset();
    }
  });

  test('a host that sends the main wasm without application/wasm: the page starts all the same', async () => {
    const context = await newContext(browser, standin);
    await context.route('**/*_bg.wasm', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
    });
    const helper = new HelperPage(await context.newPage(), `${standin.url}/`);
    await helper.open();
    await helper.backendUrl().waitFor();
    assert.equal(await helper.crashNotice().count(), 0);
    await context.close();
  });

  test('a changed style sheet is not applied', async () => {
    const [name] = servedNames().filter((file) => file.endsWith('.css'));
    await writeFile(path.join(served, name), changed(name, pristine.get(name)));
    const { context, helper } = await openHelper(remembered);
    await refused(helper, name);
    assert.equal(await helper.page.evaluate(() => document.querySelector('link[rel=stylesheet]').sheet), null);
    await context.close();
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

/**
 * Writes `bytes` as `name` in `served` and then, as a build would, the new integrity into
 * every file that names the old one, and the import map's new hash into index.html's
 * Content-Security-Policy: a consistent dist/ in which only `name` does something else.
 */
async function rebuildWith(name, bytes) {
  const old = sri(await readFile(path.join(served, name)));
  await writeFile(path.join(served, name), bytes);
  for (const other of pristine.keys()) {
    if (other === name || !/\.(js|html)$/.test(other)) continue;
    const text = await readFile(path.join(served, other), 'utf8');
    if (text.includes(old)) await rebuildWith(other, Buffer.from(text.replaceAll(old, sri(bytes))));
  }
  if (name !== 'index.html') return;
  const html = bytes.toString('utf8');
  const importMap = /<script type="importmap">([^<]*)<\/script>/.exec(html)?.[1];
  if (importMap === undefined) return;
  const hash = `'sha256-${createHash('sha256').update(importMap).digest('base64')}'`;
  await writeFile(path.join(served, name), html.replace(/'sha256-[^']+'/, hash));
}

/** The main wasm, its `main` replaced by one that traps at once. */
async function trappingMainWasm() {
  const main = servedNames().find((name) => name.endsWith('_bg.wasm'));
  const module = binaryen.readBinary(pristine.get(main));
  // The features the build enables (scripts/post-build.mjs's wasm-opt), not binaryen's newest.
  const F = binaryen.Features;
  module.setFeatures(F.BulkMemory | F.BulkMemoryOpt | F.CallIndirectOverlong | F.NontrappingFPToInt | F.ReferenceTypes | F.SignExt | F.MutableGlobals);
  module.removeExport('__wbindgen_start');
  module.addFunction('start_traps', binaryen.none, binaryen.none, [], module.unreachable());
  module.addFunctionExport('start_traps', '__wbindgen_start');
  const bytes = Buffer.from(module.emitBinary());
  module.dispose();
  return { main, bytes };
}

describe('a crash', () => {
  test('an error or a rejected promise left to the page shows the crash notice, in fixed words', async () => {
    for (const fail of [
      () => setTimeout(() => {
        throw new Error('<img src=x data-testid=injected>');
      }),
      () => {
        Promise.reject(new Error('<img src=x data-testid=injected>'));
      },
    ]) {
      const { context, helper } = await openHelper();
      await helper.backendUrl().waitFor();
      await helper.page.evaluate(fail);
      const text = await textContains(helper.crashNotice(), 'Reload the page to start again');
      assert.ok(!text.includes('img'), text);
      assert.equal(await helper.page.getByTestId('injected').count(), 0);
      await helper.crashForget().waitFor();
      await context.close();
    }
  });

  test('a wasm that traps as it starts: the notice shows, and its button forgets all but the claims', async () => {
    const { main, bytes } = await trappingMainWasm();
    await rebuildWith(main, bytes);
    const context = await newContext(browser, standin);
    const page = await context.newPage();
    const helper = new HelperPage(page, `${standin.url}/`);
    // What a page of this origin stored, put there before the page opens.
    await page.goto(`${standin.url}/not-the-helper`);
    await page.evaluate(() => {
      localStorage.setItem('trakt-helper.remembered-jwt', 'a.b.c');
      localStorage.setItem('trakt-helper.backend-url', 'http://127.0.0.1:1');
      localStorage.setItem('trakt-helper.claim.0123456789abcdef', '1');
      localStorage.setItem('another-app.setting', 'kept');
      sessionStorage.setItem('trakt-helper.jwt', 'a.b.c');
      sessionStorage.setItem('trakt-helper.claim.fedcba9876543210', '1');
    });
    await page.goto(helper.url);
    await textContains(helper.crashNotice(), 'Reload the page to start again');
    assert.ok(helper.console.some((line) => /unreachable/i.test(line)), helper.console.join('\n'));
    assert.equal(await helper.startingNotice().count(), 0, 'the notice takes the place of “Starting…”');
    assert.equal(await helper.backendUrl().count(), 0, 'nothing of the helper runs');

    await Promise.all([page.waitForEvent('load'), helper.crashForget().click()]);
    await helper.crashNotice().waitFor();
    assert.deepEqual(await helper.stored(), {
      local: { 'trakt-helper.claim.0123456789abcdef': '1', 'another-app.setting': 'kept' },
      session: { 'trakt-helper.claim.fedcba9876543210': '1' },
    });
    await context.close();
  });
});
