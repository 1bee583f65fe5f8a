// The parts of the page its first screen does not need (src/ui/parts.rs) are separate files
// in the release build: none is fetched before the status shows, all of them right after it
// (so opening one waits for no download), and one that cannot be had is explained while the
// rest of the page keeps working.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appendFile, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { distDir } from './support/standin.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const { parts } = JSON.parse(readFileSync(path.join(distDir, 'parts.json'), 'utf8'));
/** A part's own file, not a chunk it shares. */
const ownFile = (part) => parts[part].find((name) => name.startsWith('split_'));

/**
 * Opens the helper served by `standin` in a context from `newContext` (the test's), recording
 * which wasm files it asks for; `prepare(context)` runs first (a route must be in place
 * before the page fetches its parts by itself).
 */
async function openRecordingWasm(newContext, standin, prepare = async () => {}) {
  const context = await newContext(standin);
  await prepare(context);
  const page = await context.newPage();
  const fetched = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop();
    if (name.endsWith('.wasm')) fetched.push(name);
  });
  const helper = new HelperPage(page, `${standin.url}/`);
  await helper.open();
  return { context, helper, fetched };
}

/**
 * A copy of dist/ without `part`'s own file, served by a stand-in of its own, opened with a
 * JWT once the status says Trakt is not connected; `restore()` puts the file back (a deploy
 * that finished).
 */
async function signedInWithout(part, { startStandin, copyOfDist, newContext }) {
  const served = await copyOfDist(`dist-without-${part}-`);
  const file = path.join(served, ownFile(part));
  await rename(file, `${file}.gone`);
  const standin = await startStandin(['--static', served]);
  const { helper } = await openRecordingWasm(newContext, standin);
  await helper.connect({ jwt: await standin.token() });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  return { helper, restore: () => rename(`${file}.gone`, file) };
}

const pageErrors = (helper) => helper.console.filter((line) => line.startsWith('pageerror'));

test('the release build has two parts, later and tools, each in files of its own', () => {
  assert.deepEqual(Object.keys(parts).sort(), ['later', 'tools']);
  for (const files of Object.values(parts)) assert.ok(files.length > 0 && files.every((name) => name.endsWith('.wasm')));
});

test('no part is fetched before the status shows; every part right after it, without a click', async ({ startStandin, newContext, scope }) => {
  const standin = await startStandin();
  const partFiles = new Set(Object.values(parts).flat());
  // A returning visitor: the JWT remembered on this device, so the status is asked on open.
  const storageState = await scope(async (opened) => {
    const context = await opened.newContext(standin);
    const first = new HelperPage(await context.newPage(), `${standin.url}/`);
    await first.open();
    await first.rememberBox().check();
    await first.connect({ jwt: await standin.token() });
    await expect(first.status()).toContainText('Not connected to Trakt.');
    return context.storageState();
  });

  // A new context with that storage: nothing of the first page's cache.
  const returning = await newContext(standin, { storageState });
  // The page notes, by its own clock, when the status first shows.
  await returning.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (!/Not connected/.test(document.querySelector('[data-testid="status"]')?.textContent ?? '')) return;
      observer.disconnect();
      window.statusShownAt = performance.now();
    });
    observer.observe(document, { subtree: true, childList: true, characterData: true });
  });
  const page = await returning.newPage();
  const requested = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop();
    if (partFiles.has(name)) requested.push(name);
  });
  const helper = new HelperPage(page, `${standin.url}/`);
  await helper.open();
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await expect.poll(() => [...partFiles].filter((name) => !requested.includes(name))).toStrictEqual([]);
  // Each part file asked for after the status showed, by the page's resource timings.
  const { shownAt, started } = await page.evaluate(() => ({
    shownAt: window.statusShownAt,
    started: performance.getEntriesByType('resource').map((entry) => [new URL(entry.name).pathname.split('/').pop(), entry.startTime]),
  }));
  assert.ok(shownAt > 0, 'the status showed');
  const early = started.filter(([name, at]) => partFiles.has(name) && at <= shownAt);
  assert.deepEqual(early, [], `no part file before the status showed at ${shownAt} ms`);
  // Each file once: parts that share a chunk fetch it once.
  for (const name of partFiles) assert.equal(requested.filter((e) => e === name).length, 1, `${name} fetched once`);
  assert.deepEqual(pageErrors(helper), []);
});

// `later` first: it holds what a new visitor needs next (sign-in), and on a slow link it
// does not share the network with `tools`. A point that needs `tools` sooner loads it
// itself, whatever `later` is waiting for.
test('the parts come one after another, later first; what needs tools sooner loads it itself', async ({ startStandin, newContext }) => {
  const standin = await startStandin();
  // `later`'s own file is asked for and held.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const { context, helper, fetched } = await openRecordingWasm(newContext, standin, (context) =>
    context.route(`**/${ownFile('later')}`, async (route) => {
      await held;
      await route.continue();
    }),
  );
  await expect.poll(() => fetched.includes(ownFile('later'))).toBe(true);
  // Nothing opened: `tools` waits for `later`.
  await helper.page.waitForTimeout(1000);
  assert.ok(!fetched.includes(ownFile('tools')), `tools waits for later: ${fetched.join(', ')}`);
  // Connected, the token tools (in `tools`) show while `later` is still held.
  await helper.connect({ jwt: await standin.token() });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await helper.authorize();
  await expect(helper.callbackResult()).toContainText('Trakt is connected.');
  await expect(helper.tokenTools()).toContainText('last about a day');
  release();
  await helper.openSignIn();
  await helper.userName().waitFor();
  assert.deepEqual(pageErrors(helper), []);
  await context.unrouteAll({ behavior: 'ignoreErrors' });
});

test('a new visitor: the parts arrive while the form is filled in, and each opens with what it shows', async ({ startStandin, newContext }) => {
  const standin = await startStandin();
  const { helper, fetched } = await openRecordingWasm(newContext, standin);
  const loaded = (part) => parts[part].every((name) => fetched.includes(name));
  // Nothing clicked yet: every part is fetched.
  await expect.poll(() => Object.keys(parts).filter((part) => !loaded(part))).toStrictEqual([]);

  await helper.connect({ jwt: await standin.token() });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await helper.authorizeLink().waitFor();
  const lines = await helper.openEveryPart();
  assert.ok(lines.some((line) => line.includes('Backend answers')), lines.join('\n'));

  // A failed callback offers to finish from a terminal (the page reloads on the way back).
  await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 503, body: '' });
  await helper.authorize();
  await helper.callbackProblem().waitFor();
  await helper.finishByHandToggle().click();
  await expect(helper.curlCommand()).toContainText('curl -X POST');

  // Connected: the token tools.
  await helper.authorize();
  await expect(helper.callbackResult()).toContainText('Trakt is connected.');
  await expect(helper.status()).toContainText('Connected');
  await expect(helper.tokenTools()).toContainText('last about a day');
  await helper.refreshTraktTokenButton().click();
  await expect(helper.toolResult()).toContainText('Token refreshed');
  await expect(helper.partLoading(), 'no loading line left').toHaveCount(0);
  assert.deepEqual(pageErrors(helper), []);
});

test('a part still on its way when opened shows its loading line, then itself', async ({ startStandin, newContext }) => {
  const standin = await startStandin();
  const context = await newContext(standin);
  // The doctor's checks (in `tools`) held back, so their loading line can be seen.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await context.route(`**/${ownFile('tools')}`, async (route) => {
    await held;
    await route.continue();
  });
  const helper = new HelperPage(await context.newPage(), `${standin.url}/`);
  await helper.open();
  await helper.connect({ jwt: await standin.token() });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await helper.runDoctor();
  await expect(helper.partLoading()).toContainText('Loading the connection doctor…');
  release();
  await helper.doctorLines();
  await expect(helper.partLoading(), 'the loading line is gone').toHaveCount(0);
  assert.deepEqual(pageErrors(helper), []);
});

test('a part whose file is missing: the page says so, keeps working, and loads it once it is back', async ({ startStandin, copyOfDist, newContext }) => {
  const { helper, restore } = await signedInWithout('tools', { startStandin, copyOfDist, newContext });

  await helper.runDoctor();
  await expect(helper.partMissing()).toContainText('Could not load the connection doctor');
  await expect(helper.partMissing()).toContainText(/The rest of the page still works/);
  await expect(helper.doctorResults()).toHaveCount(0);
  // The console says the file is missing, not only that it failed its integrity check.
  const missing = `${ownFile('tools')}: the server answered HTTP 404, so the file is missing`;
  assert.ok(helper.console.some((line) => line.includes(missing)), helper.console.join('\n'));
  await expect(helper.crashNotice(), 'no crash notice').toHaveCount(0);
  assert.deepEqual(pageErrors(helper), [], 'nothing thrown into the page');

  // The rest of the page: the status, the other part (`later`: sign-in), the authorize link.
  await helper.checkAgainButton().click();
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await helper.openSignIn();
  await helper.userName().waitFor();
  await helper.authorizeLink().waitFor();

  // The file is back (a deploy finished): trying again loads it, without a reload.
  await helper.markDocument();
  await restore();
  await helper.partRetry().click();
  const lines = await helper.doctorLines();
  assert.ok(lines.some((line) => line.includes('Backend answers')), lines.join('\n'));
  await expect(helper.partMissing()).toHaveCount(0);
  assert.ok(await helper.sameDocument(), 'no reload');
  assert.deepEqual(pageErrors(helper), []);
});

test('a part missing from every place it fills: one notice names them, one “Try again” loads it in all of them', async ({ startStandin, copyOfDist, newContext }) => {
  const { helper, restore } = await signedInWithout('later', { startStandin, copyOfDist, newContext });
  // `later` fills the redirect check, step 3's folds and the doctor's card by itself: one
  // notice for the page says so, not one in each place.
  for (const place of ['the redirect check', 'the Trakt keys and paste forms', 'the connection doctor']) {
    await expect(helper.partMissing()).toContainText(place);
  }
  await expect(helper.partMissing()).toContainText(/^Could not load part of this page \([^)]+; [^)]+; [^)]+\): the server it came from did not send its code\./);
  await expect(helper.partMissing()).toHaveCount(1);
  await expect(helper.partRetry()).toHaveCount(1);
  await expect(helper.crashNotice()).toHaveCount(0);

  await restore();
  await helper.partRetry().click();
  await expect(helper.partMissing(), 'every place tried again').toHaveCount(0);
  await helper.runDoctorButton().waitFor();
  await helper.openSignIn();
  await helper.userName().waitFor();
  assert.deepEqual(pageErrors(helper), []);
});

test('a part whose bytes changed is refused: the loader fetches each part with its integrity', async ({ startStandin, copyOfDist, newContext }) => {
  const served = await copyOfDist('dist-tampered-');
  const toolsFile = path.join(served, ownFile('tools'));
  await appendFile(toolsFile, Buffer.from([0]));
  const standin = await startStandin(['--static', served]);
  const { helper, fetched } = await openRecordingWasm(newContext, standin);
  await helper.connect({ jwt: await standin.token() });
  await helper.runDoctor();
  await expect(helper.partMissing()).toContainText('Could not load the connection doctor');
  assert.ok(fetched.includes(ownFile('tools')), 'it was fetched, and refused');
  assert.ok(helper.console.some((line) => /integrity/i.test(line)), helper.console.join('\n'));
  assert.ok(!helper.console.some((line) => line.includes('file is missing')), 'a file that is there is not called missing');
  assert.deepEqual(pageErrors(helper), []);
});

test('a main wasm whose bytes changed never runs: the page\'s own line says it did not start', async ({ startStandin, copyOfDist, newContext }) => {
  const served = await copyOfDist('dist-tampered-main-');
  const main = (await readdir(served)).find((name) => name.endsWith('_bg.wasm'));
  // Still a valid module, with other words in it.
  const bytes = await readFile(path.join(served, main));
  const at = bytes.indexOf('Sign in with your NowPlaying JWT');
  assert.ok(at > 0, 'the lede is in the main wasm');
  bytes.write('PWND', at);
  await writeFile(path.join(served, main), bytes);
  const standin = await startStandin(['--static', served]);
  const context = await newContext(standin);
  const helper = new HelperPage(await context.newPage(), `${standin.url}/`);
  await helper.page.goto(helper.url);
  await helper.page.waitForTimeout(1500);
  await expect(helper.startingNotice()).toContainText('its files did not all arrive intact');
  await expect(helper.status(), 'nothing of the helper runs').toHaveCount(0);
  assert.ok(!(await helper.page.content()).includes('PWND'));
  assert.ok(helper.console.some((line) => /integrity/i.test(line)), helper.console.join('\n'));
});

test('parts load from a host that sends wasm as application/octet-stream', async ({ startStandin, newContext }) => {
  const standin = await startStandin();
  const retyped = [];
  const { context, helper } = await openRecordingWasm(newContext, standin, (context) =>
    context.route('**/*.wasm', async (route) => {
      const response = await route.fetch();
      retyped.push(new URL(route.request().url()).pathname.split('/').pop());
      await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
    }),
  );
  await helper.openPaste();
  await helper.pasteField().waitFor();
  assert.ok(parts.later.every((name) => retyped.includes(name)), 'the part with the paste form came as octet-stream');
  await expect(helper.partMissing()).toHaveCount(0);
  // Parts still on their way when the test ends are let go.
  await context.unrouteAll({ behavior: 'ignoreErrors' });
});

// The page fetches the part as soon as its first screen is settled; the click joins that
// download, and once it gives up (20 s) tries once more itself: at most 40 s in all.
test('a part that never arrives is explained once the loader gives up on it, and the page keeps working', async ({ startStandin, newContext }) => {
  test.setTimeout(120_000);
  const standin = await startStandin();
  const { helper } = await openRecordingWasm(newContext, standin, (context) => context.route(`**/${ownFile('tools')}`, () => {}));
  await helper.connect({ jwt: await standin.token() });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await helper.runDoctor();
  await expect(helper.partLoading()).toContainText('Loading the connection doctor…');
  await expect(helper.partMissing()).toContainText('Could not load the connection doctor', { timeout: 45_000 });
  await helper.checkAgainButton().click();
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  assert.deepEqual(pageErrors(helper), []);
});

test('with every part stalled, the status, the link and a return still finish', async ({ startStandin, newContext }) => {
  const standin = await startStandin();
  const context = await newContext(standin);
  const partFiles = new Set(Object.values(parts).flat());
  const stalled = [];
  // Every part's file is asked for and never answered.
  await context.route(
    (url) => partFiles.has(url.pathname.split('/').pop()),
    (route) => stalled.push(route.request().url()),
  );
  const helper = new HelperPage(await context.newPage(), `${standin.url}/`);
  await helper.open();
  await helper.connect({ jwt: await standin.token() });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await helper.authorize();
  await expect(helper.callbackResult()).toContainText('Trakt is connected.');
  assert.equal((await standin.stats()).callback_posts, 1);
  assert.deepEqual(pageErrors(helper), []);
});
