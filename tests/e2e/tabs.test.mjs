// Across tabs and over time: which backend, which JWT, which pending authorization and
// which code belong together, as the flow (src/flow/) decides, seen in Chromium.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { helperSuite } from './support/suite.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { eventually, textContains } from './support/wait.mjs';

const suite = helperSuite();

async function signedIn() {
  const { context, helper } = await suite.open();
  await helper.connect({ jwt: await suite.standin.token() });
  await textContains(helper.status(), 'Not connected to Trakt.');
  return { context, helper };
}

describe('Forget reaches a tab away at Trakt', () => {
  test('the tab comes back, sends nothing, and keeps none of the forgotten tokens', async () => {
    const { context, helper } = await signedIn();
    await helper.signIn('alice', 'alice-password');
    await textContains(helper.signInDone(), 'Signed in');
    await helper.authorizeLink().click();
    await helper.approveOnTrakt().waitFor();
    // Meanwhile, in another tab of the page: Forget.
    const other = new HelperPage(await context.newPage(), `${suite.standin.url}/`);
    await other.open();
    await other.forget();
    await textContains(other.forgottenNotice(), 'Forgotten');
    // Back from trakt.tv with a code for the forgotten authorization.
    await helper.approveOnTrakt().click();
    await helper.heading().waitFor();
    await textContains(helper.callbackProblem(), 'no record of');
    assert.equal(await suite.callbackPosts(), 0, 'nothing POSTed');
    const { session } = await helper.stored();
    assert.deepEqual(Object.keys(session), ['trakt-helper.tab-epoch'], 'no JWT, refresh token or pending authorization left');
    assert.equal(await helper.jwt().inputValue(), '');
    await context.close();
  });
});

describe('a code that cannot be claimed is not sent', () => {
  test('with storage refusing the claim, the code is offered by hand, never POSTed', async () => {
    const { context, helper } = await signedIn();
    await context.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (name, value) {
        if (String(name).startsWith('trakt-helper.claim.')) throw new DOMException('full', 'QuotaExceededError');
        return setItem.call(this, name, value);
      };
    });
    await helper.authorize();
    const problem = await textContains(helper.callbackProblem(), 'would not let the page record it');
    assert.ok(problem.includes('terminal command'), problem);
    await helper.page.getByText('Finish from a terminal instead').click();
    await textContains(helper.curlCommand(), '/trakt/oauth-callback/');
    assert.equal(await suite.callbackPosts(), 0);
    await context.close();
  });
});

describe('a pending authorization that cannot be recorded', () => {
  test('the link keeps the person here and says why, instead of a return no tab can check', async () => {
    const { context, helper } = await signedIn();
    await helper.page.evaluate(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (name, value) {
        if (String(name).includes('pending')) throw new DOMException('full', 'QuotaExceededError');
        return setItem.call(this, name, value);
      };
    });
    await helper.authorizeLink().click();
    const problem = await textContains(helper.authorizeProblem(), 'would not let the page record');
    assert.ok(problem.includes('paste'), problem);
    assert.equal(new URL(helper.address()).origin, suite.standin.url, 'still on the page');
    assert.deepEqual(helper.page.context().trakt ?? [], [], 'trakt.tv was not opened');
    await context.close();
  });
});

describe('a JWT goes only to the backend that accepted it', () => {
  test('a half-typed backend is never stored: a new tab sends the remembered JWT to its own backend', async () => {
    const { context, helper } = await suite.open();
    await helper.rememberBox().check();
    await helper.connect({ jwt: await suite.standin.token() });
    await textContains(helper.status(), 'Not connected to Trakt.');
    // Typed, not committed (no Enter, the field not left).
    await helper.backendUrl().fill('http://127.0.0.1:9');
    const { local } = await helper.stored();
    assert.equal(local['trakt-helper.backend-url'], undefined, 'the half-typed backend is not stored');
    await suite.standin.reset();
    const tab = new HelperPage(await context.newPage(), `${suite.standin.url}/`);
    await tab.open();
    await textContains(tab.status(), 'Not connected to Trakt.');
    assert.equal(await tab.backendUrl().inputValue(), suite.standin.url);
    assert.deepEqual((await suite.traktRequests()).map((r) => r.path), ['/trakt/auth-status/', '/trakt/authenticate/']);
    await context.close();
  });

  test('a JWT dropped with its backend leaves no copy in the field\'s value attribute', async () => {
    const { context, helper } = await signedIn();
    // A reload gives the field its JWT as the attribute it starts with.
    await helper.page.reload();
    await textContains(helper.status(), 'Not connected to Trakt.');
    const jwt = await helper.jwt().inputValue();
    assert.match(jwt, /^eyJ/);
    await helper.markDocument();
    // Another backend on the same origin: no reload, the same document.
    await helper.backendUrl().fill(`${suite.standin.url}/api`);
    await helper.backendUrl().press('Tab');
    await eventually(async () => assert.equal(await helper.jwt().inputValue(), ''));
    assert.ok(await helper.sameDocument(), 'the page did not reload');
    const html = await helper.page.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!html.includes(jwt), 'the JWT is nowhere in the document');
    assert.equal(await helper.jwt().getAttribute('value'), null);
    await context.close();
  });
});

describe('a backend a CSP cannot name', () => {
  test('a host with “_” is explained with the fix, not as unreachable', async () => {
    const { context, helper } = await suite.open();
    await helper.backendUrl().fill('http://nowplaying_api:8080');
    const hint = await textContains(helper.backendUrlHint(), 'a name without “_”');
    assert.ok(hint.includes('IP address'), hint);
    await context.close();
  });
});
