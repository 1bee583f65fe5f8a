// Across tabs and over time: which backend, which JWT, which pending authorization and
// which code belong together, as the flow (src/flow/) decides, seen in Chromium.
import assert from 'node:assert/strict';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

/** The helper (opened by the test's `connected`) with a JWT, once the status says Trakt is not connected. */
async function signedIn(connected) {
  const { context, helper } = await connected();
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  return { context, helper };
}

/**
 * `helper` and a tab opened from it, which shares its tab storage (the JWT, and the pending
 * authorization with its nonce), both sent back from Trakt with the same approved code.
 */
async function bothBackFromTrakt(context, helper, standin) {
  const nonce = await helper.followLinkInPlace();
  const [opened] = await Promise.all([
    context.waitForEvent('page'),
    helper.page.evaluate(() => window.open(location.href)),
  ]);
  await opened.waitForLoadState();
  const second = new HelperPage(opened, `${standin.url}/`);
  const back = await standin.approvedElsewhere();
  const address = `${standin.url}/?code=${back.code}&state=${nonce}`;
  await Promise.all([helper.page.goto(address), second.page.goto(address)]);
  return [helper, second];
}

/** What each tab's result card says once it has finished. */
async function outcomesOf(tabs) {
  for (const tab of tabs) {
    await tab.resultCard().waitFor({ state: 'attached' });
    await expect(tab.resultCard()).not.toContainText('Finishing');
  }
  return Promise.all(tabs.map((tab) => tab.resultCard().textContent()));
}

describe('Forget reaches every tab', () => {
  test('Forget in one tab reaches every open tab', async ({ standin, open }) => {
    const { context, helper } = await open();
    await helper.rememberBox().check();
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const second = new HelperPage(await context.newPage(), `${standin.url}/`);
    await second.open();
    await expect(second.jwt()).toHaveValue(/^eyJ/);
    await second.forget();
    await expect(helper.jwt()).toHaveValue('');
    // Typing in the first tab afterwards writes no token back.
    await helper.backendUrl().fill(`${standin.url}/`);
    await helper.page.waitForTimeout(200);
    const left = await helper.stored();
    assert.equal(left.local['trakt-helper.remembered-jwt'], undefined);
    assert.equal(left.session['trakt-helper.jwt'], undefined);
  });

  test('the tab comes back, sends nothing, and keeps none of the forgotten tokens', async ({ standin, connected }) => {
    const { context, helper } = await signedIn(connected);
    await helper.signIn('alice', 'alice-password');
    await expect(helper.signInDone()).toContainText('Signed in');
    await helper.authorizeLink().click();
    await helper.approveOnTrakt().waitFor();
    // Meanwhile, in another tab of the page: Forget.
    const other = new HelperPage(await context.newPage(), `${standin.url}/`);
    await other.open();
    await other.forget();
    await expect(other.forgottenNotice()).toContainText('Forgotten');
    // Back from trakt.tv with a code for the forgotten authorization.
    await helper.approveOnTrakt().click();
    await helper.heading().waitFor();
    await expect(helper.callbackProblem()).toContainText('no record of');
    assert.equal(await standin.callbackPosts(), 0, 'nothing POSTed');
    const { session } = await helper.stored();
    assert.deepEqual(Object.keys(session), ['trakt-helper.tab-epoch'], 'no JWT, refresh token or pending authorization left');
    await expect(helper.jwt()).toHaveValue('');
  });
});

describe('a connection made in one tab shows in the others', () => {
  test('a tab open beside, on the same backend, shows Trakt connected once another tab connects it; one on another backend asks nothing', async ({ standin, startStandin, connected }) => {
    const { context, helper } = await signedIn(connected);
    const beside = new HelperPage(await context.newPage(), `${standin.url}/`);
    await beside.open();
    await beside.connect({ jwt: await standin.token() });
    await expect(beside.status()).toContainText('Not connected to Trakt.');
    // A tab of the same page on another backend: it hears the same news, and must not ask.
    const other = await startStandin([], { serveHelper: false });
    const afar = new HelperPage(await context.newPage(), `${standin.url}/`);
    await afar.open();
    await afar.connect({ backendUrl: other.url, jwt: await other.token() });
    await expect(afar.status()).toContainText('Not connected to Trakt.');
    // Settled: the link it asks for after a Not connected status is there too.
    await afar.authorizeLink().waitFor();
    const askedAfar = (await other.stats()).requests.map((r) => `${r.method} ${r.path}`);

    await helper.authorize();
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    await expect(beside.status()).toContainText('Connected — the Trakt token expires');
    assert.equal(await standin.callbackPosts(), 1);
    await expect(afar.status()).toContainText('Not connected to Trakt.');
    const asked = (await other.stats()).requests.map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(asked.slice(askedAfar.length), [], 'nothing asked of the other backend');
  });
});

describe('a code is sent from one tab only', () => {
  test('two tabs holding the same return send its code exactly once', async ({ standin, connected }) => {
    const { context, helper } = await connected();
    const [, second] = await bothBackFromTrakt(context, helper, standin);
    const outcomes = await outcomesOf([helper, second]);
    assert.equal(await standin.callbackPosts(), 1, outcomes.join(' | '));
    assert.equal(outcomes.filter((text) => text.includes('Trakt is connected.')).length, 1, outcomes.join(' | '));
    assert.equal(outcomes.filter((text) => text.includes('already sent from this page')).length, 1, outcomes.join(' | '));
  });

  test('the tab that did not send the code shows the connection once the other has it, without a click', async ({ standin, connected }) => {
    const { context, helper } = await connected();
    const tabs = await bothBackFromTrakt(context, helper, standin);
    const outcomes = await outcomesOf(tabs);
    const [loser] = tabs.filter((_, index) => outcomes[index].includes('already sent from this page'));
    assert.ok(loser, outcomes.join(' | '));
    await expect(loser.status()).toContainText('Connected — the Trakt token expires');
    assert.equal(await standin.callbackPosts(), 1);
  });

  test('a tab that opens the same return after the other tab connected says so and shows the connection', async ({ standin, connected }) => {
    const { context, helper } = await connected();
    const nonce = await helper.followLinkInPlace();
    const [opened] = await Promise.all([context.waitForEvent('page'), helper.page.evaluate(() => window.open(location.href))]);
    await opened.waitForLoadState();
    const late = new HelperPage(opened, `${standin.url}/`);
    const back = await standin.approvedElsewhere();
    const address = `${standin.url}/?code=${back.code}&state=${nonce}`;
    await helper.page.goto(address);
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    await late.page.goto(address);
    await expect(late.callbackProblem()).toContainText('already sent from this page');
    await expect(late.status()).toContainText('Connected — the Trakt token expires');
    assert.equal(await standin.callbackPosts(), 1);
  });

  // Chromium shows a tab another tab's storage write only a moment later. Here each tab
  // never sees the claims the other wrote (its own it does), the way a tab would in that
  // moment: only the code's lock, held by the tab that won it, keeps the other from
  // sending the code too. With one lock taken in turn and the claim read from storage,
  // both tabs send it.
  test('a tab that cannot see the other tab\'s claim in storage yet still does not send the code', async ({ standin, connected }) => {
    const { context, helper } = await connected();
    await context.addInitScript(() => {
      const written = new Set();
      const { getItem, setItem } = Storage.prototype;
      Storage.prototype.setItem = function (name, value) {
        written.add(String(name));
        return setItem.call(this, name, value);
      };
      Storage.prototype.getItem = function (name) {
        if (String(name).startsWith('trakt-helper.claim.') && !written.has(String(name))) return null;
        return getItem.call(this, name);
      };
    });
    const [, second] = await bothBackFromTrakt(context, helper, standin);
    const outcomes = await outcomesOf([helper, second]);
    assert.equal(await standin.callbackPosts(), 1, outcomes.join(' | '));
    assert.equal(outcomes.filter((text) => text.includes('Trakt is connected.')).length, 1, outcomes.join(' | '));
  });

  // A tab that finds the code's lock held asks again: the holder may only be checking, and
  // here storage refuses every claim (slowly, so the lock is held meanwhile), so no tab won.
  test('two tabs whose storage refuses the claim: neither says it was sent, both offer it by hand', async ({ standin, connected }) => {
    const { context, helper } = await connected();
    await context.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (name, value) {
        if (String(name).startsWith('trakt-helper.claim.')) {
          const until = performance.now() + 150;
          while (performance.now() < until);
          throw new DOMException('full', 'QuotaExceededError');
        }
        return setItem.call(this, name, value);
      };
    });
    const [, second] = await bothBackFromTrakt(context, helper, standin);
    for (const tab of [helper, second]) {
      await expect(tab.callbackProblem()).toContainText('would not let the page record it');
      await expect(tab.finishByHandToggle()).toBeVisible();
    }
    assert.equal(await standin.callbackPosts(), 0);
  });

  test('with storage refusing the claim, the code is offered by hand, never POSTed', async ({ standin, connected }) => {
    const { context, helper } = await signedIn(connected);
    await context.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (name, value) {
        if (String(name).startsWith('trakt-helper.claim.')) throw new DOMException('full', 'QuotaExceededError');
        return setItem.call(this, name, value);
      };
    });
    await helper.authorize();
    await expect(helper.callbackProblem()).toContainText('would not let the page record it');
    await expect(helper.callbackProblem()).toContainText('terminal command');
    await helper.finishByHandToggle().click();
    await expect(helper.curlCommand()).toContainText('/trakt/oauth-callback/');
    assert.equal(await standin.callbackPosts(), 0);
  });
});

describe('a pending authorization that cannot be recorded', () => {
  test('the link keeps the person here and says why, instead of a return no tab can check', async ({ standin, connected }) => {
    const { helper } = await signedIn(connected);
    await helper.page.evaluate(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (name, value) {
        if (String(name).includes('pending')) throw new DOMException('full', 'QuotaExceededError');
        return setItem.call(this, name, value);
      };
    });
    await helper.authorizeLink().click();
    await expect(helper.authorizeProblem()).toContainText('would not let the page record');
    await expect(helper.authorizeProblem()).toContainText('paste');
    assert.equal(new URL(helper.address()).origin, standin.url, 'still on the page');
    assert.deepEqual(helper.page.context().trakt ?? [], [], 'trakt.tv was not opened');
  });
});

describe('a tab finishes what it started', () => {
  for (const remember of [false, true]) {
    test(`a tab coming back from Trakt finishes with its own backend and JWT, whatever another tab chose since${remember ? ' (Remember on)' : ''}`, async ({ standin, open, startStandin }) => {
      const other = await startStandin();
      const { context, helper } = await open();
      if (remember) await helper.rememberBox().check();
      await helper.signIn('alice', 'alice-password');
      await helper.authorizeLink().click();
      await helper.traktHeading().waitFor();
      // Meanwhile, in a second tab, the person points the page at another backend.
      const second = new HelperPage(await context.newPage(), `${standin.url}/`);
      await second.open();
      await second.backendUrl().fill(other.url);
      await second.backendUrl().press('Tab');
      await second.page.waitForLoadState();
      await helper.approveOnTrakt().click();
      await expect(helper.callbackResult()).toContainText('Trakt is connected.');
      await expect(helper.backendUrl()).toHaveValue(standin.url);
      assert.equal(await standin.callbackPosts(), 1);
      assert.equal(await other.callbackPosts(), 0);
    });
  }
});
