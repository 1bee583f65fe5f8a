// Pasting: when Trakt sends the person somewhere other than this page, the address it landed
// on (or the bare code) pasted here finishes the connection, once.
import assert from 'node:assert/strict';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

/**
 * Follows the link and approves: Trakt sends the tab to the backend's own page, which shows
 * the code. Returns that page's address, and goes back to the helper.
 */
async function landOnBackendPage(helper) {
  await helper.authorizeLink().click();
  await helper.approveOnTrakt().click();
  await helper.backendCallbackPage().waitFor();
  const landed = helper.page.url();
  await helper.page.goBack();
  await helper.page.goBack();
  await helper.heading().waitFor();
  return landed;
}

describe('when Trakt redirects elsewhere: the redirect check, and pasting', () => {
  test('the redirect doctor marks the first difference; the pasted address and a bare code complete the flow', async ({ open, startStandin }) => {
    // Learn a free port first: the redirect URI has to name the backend's own address.
    const elsewhere = await startStandin();
    await elsewhere.stop();
    // The backend's own callback page as the redirect URI, as in a default NowPlaying setup.
    const backend = await startStandin(['--listen', elsewhere.url.replace('http://', ''), '--redirect-uri', `${elsewhere.url}/trakt/oauth-callback/`]);
    const { context, helper } = await open(backend);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: backend.url });
    await helper.connect({ jwt: await backend.token() });
    await helper.authorizeLink().waitFor();
    await helper.redirectDoctorToggle().click();
    await expect(helper.doctorBackend()).toContainText('differs in path');
    await expect(helper.doctorBackend()).toContainText(`${backend.url}/trakt/oauth-callback/`);
    assert.equal(await helper.doctorBackend().locator('mark').textContent(), 't');
    await helper.copyRedirectUri().click();
    assert.equal(await helper.clipboard(), `${backend.url}/`);

    const landed = await landOnBackendPage(helper);
    assert.ok(landed.startsWith(`${backend.url}/trakt/oauth-callback/?code=`));
    await helper.paste(landed);
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.equal(await backend.callbackPosts(), 1);

    // Once more with the bare code, which goes with this tab's pending state.
    await helper.authorizeAgainButton().click();
    const code = new URL(await landOnBackendPage(helper)).searchParams.get('code');
    await helper.paste(code);
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.equal(await backend.callbackPosts(), 2);
  });
});

describe('what is pasted', () => {
  test('pasting something that is not a return explains what to paste', async ({ standin, connected }) => {
    const { helper } = await connected();
    await helper.paste('http://127.0.0.1:8000/trakt/oauth-callback/');
    await expect(helper.callbackProblem()).toContainText('carries no code');
    await helper.paste('<script>alert(1)</script>');
    await expect(helper.callbackProblem()).toContainText('not a code or an address from Trakt');
    assert.equal(await standin.callbackPosts(), 0);
  });

  test('a double click on “Use this code” sends the code once and connects', async ({ standin, connected }) => {
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const { address, code } = await standin.approvedElsewhere();
    await helper.paste(address, { double: true });
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.deepEqual((await standin.stats()).callback_posts_by_code, { [code]: 1 });
  });

  test('the same code pasted again after the backend failed keeps the terminal command and sends nothing', async ({ standin, connected }) => {
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const { address, code } = await standin.approvedElsewhere();
    // The stand-in counts only the codes it took, so the page's POSTs are counted here.
    let posts = 0;
    helper.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/trakt/oauth-callback/')) posts += 1;
    });
    await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 503, body: '' });
    await helper.paste(address);
    await expect(helper.callbackProblem()).toContainText('HTTP 503');
    await helper.finishByHandToggle().click();
    await expect(helper.curlCommand()).toContainText(code);

    await helper.paste(address);
    await expect(helper.callbackProblem()).toContainText('sent from this tab already, and the backend did not take it');
    await helper.finishByHandToggle().click();
    await expect(helper.curlCommand()).toContainText(code);
    assert.equal(posts, 1, 'the code was sent once');
    // The command goes where the code was for, not to whatever the field holds meanwhile.
    await helper.backendUrl().fill('http://127.0.0.1:9');
    await expect(helper.curlCommand()).toContainText(`'${standin.url}/trakt/oauth-callback/'`);
    await expect(helper.curlCommand()).not.toContainText('127.0.0.1:9/');
  });

  test('moving to another backend while a code is on its way leaves the tab free to send the next one', async ({ standin, connected }) => {
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const first = await standin.approvedElsewhere();
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await helper.page.route('**/trakt/oauth-callback/', async (route) => {
      await held;
      // The page dropped this request when the person moved on.
      await route.continue().catch(() => {});
    });
    await helper.paste(first.address);
    await expect(helper.callbackBusy()).toBeVisible();
    // The person moves to the API under /api and back (the same origin: no reload).
    for (const backend of [`${standin.url}/api`, standin.url]) {
      await helper.backendUrl().fill(backend);
      await helper.backendUrl().press('Tab');
    }
    release();
    await helper.page.unroute('**/trakt/oauth-callback/');
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText(/Connected|Not connected/);
    const second = await standin.approvedElsewhere();
    await helper.paste(second.address);
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.equal((await standin.stats()).callback_posts_by_code[second.code], 1);
  });

  test('finished from a terminal: once the status says connected, the command goes and the failure stays said', async ({ standin, connected }) => {
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const { address, code, state } = await standin.approvedElsewhere();
    await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 503, body: '' });
    await helper.paste(address);
    await expect(helper.callbackProblem()).toContainText('HTTP 503');
    await helper.finishByHandToggle().click();
    await expect(helper.curlCommand()).toContainText(code);
    // The person runs the command (here, the same request from node), then checks.
    const jwt = await standin.token();
    const answer = await fetch(`${standin.url}/trakt/oauth-callback/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code, state }),
    });
    assert.equal(answer.status, 200);
    await helper.checkAgainButton().click();
    await expect(helper.status()).toContainText('Connected — the Trakt token expires');
    await expect(helper.finishByHandToggle()).toHaveCount(0);
    await expect(helper.callbackProblem()).toContainText('HTTP 503');
  });
});
