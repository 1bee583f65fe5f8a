// The parts a person opens on demand (src/ui/parts.rs) are separate files in the release
// build: none loads with the page, each loads when opened, and one that cannot be had is
// explained while the rest of the page keeps working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { distDir, startStandin } from './support/standin.mjs';
import { launchBrowser, newContext } from './support/browser.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { textContains } from './support/wait.mjs';

let browser;
let parts;

before(async () => {
  browser = await launchBrowser();
  ({ parts } = JSON.parse(await readFile(path.join(distDir, 'parts.json'), 'utf8')));
});

after(() => browser?.close());

/** Opens the helper served by `standin`, recording which wasm files the page asks for. */
async function openHelper(standin) {
  const context = await newContext(browser, standin);
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

const pageErrors = (helper) => helper.console.filter((line) => line.startsWith('pageerror'));

test('the release build has the six parts, each in files of its own', () => {
  assert.deepEqual(Object.keys(parts).sort(), ['credentials', 'doctor', 'paste', 'sign_in', 'terminal', 'token_tools']);
  for (const files of Object.values(parts)) assert.ok(files.length > 0 && files.every((name) => name.endsWith('.wasm')));
});

test('no part loads with the page; each loads when opened, with a loading line meanwhile', async () => {
  const standin = await startStandin();
  try {
    const { context, helper, fetched } = await openHelper(standin);
    const partFiles = new Set(Object.values(parts).flat());
    const loaded = (part) => parts[part].every((name) => fetched.includes(name));

    await helper.connect({ jwt: await standin.token() });
    await textContains(helper.status(), 'Not connected to Trakt.');
    await helper.authorizeLink().waitFor();
    assert.deepEqual(fetched.filter((name) => partFiles.has(name)), [], 'no part with the core flow');

    // The doctor's file held back, so its loading line can be seen.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await context.route(`**/${parts.doctor[0]}`, async (route) => {
      await held;
      await route.continue();
    });
    await helper.runDoctor();
    await textContains(helper.partLoading(), 'Loading the connection doctor…');
    release();
    await helper.doctorLines();
    assert.ok(loaded('doctor'), 'the doctor');
    assert.equal(await helper.partLoading().count(), 0, 'the loading line is gone');

    await helper.openSignIn();
    await helper.userName().waitFor();
    assert.ok(loaded('sign_in'), 'sign-in');

    await helper.openCredentials();
    await textContains(helper.traktKeyStatus(), 'Stored for this user');
    assert.ok(loaded('credentials'), 'the credentials form');

    await helper.openPaste();
    await helper.pasteField().waitFor();
    assert.ok(loaded('paste'), 'paste');
    // Chunks that parts share are fetched by the first part that needs them, once.
    for (const name of new Set(fetched)) assert.equal(fetched.filter((f) => f === name).length, 1, `${name} fetched once`);

    // A failed exchange offers to finish from a terminal (the page reloads on the way back).
    assert.ok(!loaded('terminal'));
    await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 503, body: '' });
    await helper.authorize();
    await helper.callbackProblem().waitFor();
    await helper.finishByHandToggle().click();
    await textContains(helper.curlCommand(), 'curl -X POST');
    assert.ok(loaded('terminal'), 'finish from a terminal');

    // Connected: the token tools.
    assert.ok(!loaded('token_tools'));
    await helper.authorize();
    await textContains(helper.callbackResult(), 'Trakt is connected.');
    await textContains(helper.status(), 'Connected');
    await textContains(helper.tokenTools(), 'last about a day');
    await helper.refreshTraktTokenButton().click();
    await textContains(helper.toolResult(), 'Token refreshed');
    assert.ok(loaded('token_tools'), 'the token tools');

    assert.deepEqual(pageErrors(helper), []);
    await context.close();
  } finally {
    await standin.stop();
  }
});

test('a part whose file is missing: the page says so, keeps working, and loads it once it is back', async () => {
  const served = await mkdtemp(path.join(tmpdir(), 'dist-without-doctor-'));
  await cp(distDir, served, { recursive: true });
  const doctorFile = path.join(served, parts.doctor[0]);
  await rename(doctorFile, `${doctorFile}.gone`);
  const standin = await startStandin(['--static', served]);
  try {
    const { context, helper } = await openHelper(standin);
    await helper.connect({ jwt: await standin.token() });
    await textContains(helper.status(), 'Not connected to Trakt.');

    await helper.runDoctor();
    const missing = await textContains(helper.partMissing(), 'Could not load the connection doctor');
    assert.match(missing, /The rest of the page still works/);
    assert.equal(await helper.doctorResults().count(), 0);
    assert.equal(await helper.crashNotice().count(), 0, 'no crash notice');
    assert.deepEqual(pageErrors(helper), [], 'nothing thrown into the page');

    // The rest of the page: the status, another part, the authorize link.
    await helper.checkAgainButton().click();
    await textContains(helper.status(), 'Not connected to Trakt.');
    await helper.openSignIn();
    await helper.userName().waitFor();
    await helper.authorizeLink().waitFor();

    // The file is back (a deploy finished): trying again loads it, without a reload.
    await helper.markDocument();
    await rename(`${doctorFile}.gone`, doctorFile);
    await helper.partRetry().click();
    const lines = await helper.doctorLines();
    assert.ok(lines.some((line) => line.includes('Backend answers')), lines.join('\n'));
    assert.equal(await helper.partMissing().count(), 0);
    assert.ok(await helper.sameDocument(), 'no reload');
    assert.deepEqual(pageErrors(helper), []);
    await context.close();
  } finally {
    await standin.stop();
    await rm(served, { recursive: true, force: true });
  }
});

test('a part whose bytes changed is refused: the loader fetches each part with its integrity', async () => {
  const served = await mkdtemp(path.join(tmpdir(), 'dist-tampered-'));
  await cp(distDir, served, { recursive: true });
  const doctorFile = path.join(served, parts.doctor[0]);
  await appendFile(doctorFile, Buffer.from([0]));
  const standin = await startStandin(['--static', served]);
  try {
    const { context, helper, fetched } = await openHelper(standin);
    await helper.connect({ jwt: await standin.token() });
    await helper.runDoctor();
    await textContains(helper.partMissing(), 'Could not load the connection doctor');
    assert.ok(fetched.includes(parts.doctor[0]), 'it was fetched, and refused');
    assert.ok(helper.console.some((line) => /integrity/i.test(line)), helper.console.join('\n'));
    assert.deepEqual(pageErrors(helper), []);
    await context.close();
  } finally {
    await standin.stop();
    await rm(served, { recursive: true, force: true });
  }
});

test('a main wasm whose bytes changed never runs: the page\'s own line says it did not start', async () => {
  const served = await mkdtemp(path.join(tmpdir(), 'dist-tampered-main-'));
  await cp(distDir, served, { recursive: true });
  const main = (await readdir(served)).find((name) => name.endsWith('_bg.wasm'));
  // Still a valid module, with other words in it.
  const bytes = await readFile(path.join(served, main));
  const at = bytes.indexOf('Sign in with your NowPlaying JWT');
  assert.ok(at > 0, 'the lede is in the main wasm');
  bytes.write('PWND', at);
  await writeFile(path.join(served, main), bytes);
  const standin = await startStandin(['--static', served]);
  try {
    const context = await newContext(browser, standin);
    const helper = new HelperPage(await context.newPage(), `${standin.url}/`);
    await helper.page.goto(helper.url);
    await helper.page.waitForTimeout(1500);
    await textContains(helper.startingNotice(), 'its files did not all arrive intact');
    assert.equal(await helper.status().count(), 0, 'nothing of the helper runs');
    assert.ok(!(await helper.page.content()).includes('PWND'));
    assert.ok(helper.console.some((line) => /integrity/i.test(line)), helper.console.join('\n'));
    await context.close();
  } finally {
    await standin.stop();
    await rm(served, { recursive: true, force: true });
  }
});

test('parts load from a host that sends wasm as application/octet-stream', async () => {
  const standin = await startStandin();
  try {
    const { context, helper } = await openHelper(standin);
    await context.route('**/*.wasm', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
    });
    await helper.openPaste();
    await helper.pasteField().waitFor();
    assert.equal(await helper.partMissing().count(), 0);
    await context.close();
  } finally {
    await standin.stop();
  }
});

test('a part that never arrives is explained after 20 s, and the page keeps working', async () => {
  const standin = await startStandin();
  try {
    const { context, helper } = await openHelper(standin);
    await context.route(`**/${parts.doctor[0]}`, () => {});
    await helper.connect({ jwt: await standin.token() });
    await textContains(helper.status(), 'Not connected to Trakt.');
    await helper.runDoctor();
    await textContains(helper.partLoading(), 'Loading the connection doctor…');
    await textContains(helper.partMissing(), 'Could not load the connection doctor', { timeout: 30_000 });
    await helper.checkAgainButton().click();
    await textContains(helper.status(), 'Not connected to Trakt.');
    assert.deepEqual(pageErrors(helper), []);
    await context.close();
  } finally {
    await standin.stop();
  }
});

test('with every part stalled, the status, the link and a return still finish', async () => {
  const standin = await startStandin();
  try {
    const context = await newContext(browser, standin);
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
    await textContains(helper.status(), 'Not connected to Trakt.');
    await helper.authorize();
    await textContains(helper.callbackResult(), 'Trakt is connected.');
    assert.equal((await standin.stats()).callback_posts, 1);
    assert.deepEqual(pageErrors(helper), []);
    await context.close();
  } finally {
    await standin.stop();
  }
});
