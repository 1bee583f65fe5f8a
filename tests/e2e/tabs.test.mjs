// Across tabs and over time: which backend, which JWT, which pending authorization and
// which code belong together, as the flow (src/flow/) decides, seen in Chromium.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStandinFor } from './support/standin.mjs';
import { helperSuite } from './support/suite.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { eventually, textContains } from './support/wait.mjs';

const suite = helperSuite();

/** The helper with a JWT, once the status says Trakt is not connected. */
async function signedIn(t) {
  const { context, helper } = await suite.connected(t);
  await textContains(helper.status(), 'Not connected to Trakt.');
  return { context, helper };
}

describe('Forget reaches every tab', () => {
  test('Forget in one tab reaches every open tab', async (t) => {
    const { context, helper } = await suite.open(t);
    await helper.rememberBox().check();
    await helper.connect({ jwt: await suite.standin.token() });
    await textContains(helper.status(), 'Not connected to Trakt.');
    const second = new HelperPage(await context.newPage(), `${suite.standin.url}/`);
    await second.open();
    await eventually(async () => assert.match(await second.jwt().inputValue(), /^eyJ/));
    await second.forget();
    await eventually(async () => assert.equal(await helper.jwt().inputValue(), ''));
    // Typing in the first tab afterwards writes no token back.
    await helper.backendUrl().fill(`${suite.standin.url}/`);
    await helper.page.waitForTimeout(200);
    const left = await helper.stored();
    assert.equal(left.local['trakt-helper.remembered-jwt'], undefined);
    assert.equal(left.session['trakt-helper.jwt'], undefined);
  });

  test('the tab comes back, sends nothing, and keeps none of the forgotten tokens', async (t) => {
    const { context, helper } = await signedIn(t);
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
  });
});

describe('a code is sent from one tab only', () => {
  test('two tabs holding the same return send its code exactly once', async (t) => {
    const { context, helper } = await suite.connected(t);
    const nonce = await helper.followLinkInPlace();
    // A tab opened from the page shares its tab storage: the JWT and the pending
    // authorization with its nonce.
    const [opened] = await Promise.all([
      context.waitForEvent('page'),
      helper.page.evaluate(() => window.open(location.href)),
    ]);
    await opened.waitForLoadState();
    const second = new HelperPage(opened, `${suite.standin.url}/`);
    const back = await suite.standin.approvedElsewhere();
    const address = `${suite.standin.url}/?code=${back.code}&state=${nonce}`;
    await Promise.all([helper.page.goto(address), second.page.goto(address)]);
    const outcomes = await eventually(async () => {
      const texts = await Promise.all(
        [helper, second].map((tab) => tab.resultCard().textContent({ timeout: 1000 })),
      );
      assert.ok(texts.every((text) => !text.includes('Finishing')), texts.join(' | '));
      return texts;
    });
    assert.equal(await suite.callbackPosts(), 1, outcomes.join(' | '));
    assert.equal(outcomes.filter((text) => text.includes('Trakt is connected.')).length, 1, outcomes.join(' | '));
    assert.equal(outcomes.filter((text) => text.includes('already sent from this page')).length, 1, outcomes.join(' | '));
  });

  test('with storage refusing the claim, the code is offered by hand, never POSTed', async (t) => {
    const { context, helper } = await signedIn(t);
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
    await helper.finishByHandToggle().click();
    await textContains(helper.curlCommand(), '/trakt/oauth-callback/');
    assert.equal(await suite.callbackPosts(), 0);
  });
});

describe('a pending authorization that cannot be recorded', () => {
  test('the link keeps the person here and says why, instead of a return no tab can check', async (t) => {
    const { helper } = await signedIn(t);
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
  });
});

describe('a tab finishes what it started', () => {
  for (const remember of [false, true]) {
    test(`a tab coming back from Trakt finishes with its own backend and JWT, whatever another tab chose since${remember ? ' (Remember on)' : ''}`, async (t) => {
      const other = await startStandinFor(t);
      const { context, helper } = await suite.open(t);
      if (remember) await helper.rememberBox().check();
      await helper.signIn('alice', 'alice-password');
      await helper.authorizeLink().click();
      await helper.traktHeading().waitFor();
      // Meanwhile, in a second tab, the person points the page at another backend.
      const second = new HelperPage(await context.newPage(), `${suite.standin.url}/`);
      await second.open();
      await second.backendUrl().fill(other.url);
      await second.backendUrl().press('Tab');
      await second.page.waitForLoadState();
      await helper.approveOnTrakt().click();
      await textContains(helper.callbackResult(), 'Trakt is connected.');
      assert.equal(await helper.backendUrl().inputValue(), suite.standin.url);
      assert.equal(await suite.callbackPosts(), 1);
      assert.equal((await other.stats()).callback_posts, 0);
    });
  }
});
