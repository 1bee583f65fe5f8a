// Back from Trakt: the return is checked before anything is sent, its code leaves the address
// bar, and a code is sent once, whatever the browser does next.
import assert from 'node:assert/strict';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;
const hex64 = (c) => c.repeat(64);

describe('a return this tab can check', () => {
  test('access_denied on Trakt: explained, nothing sent', async ({ standin, connected }) => {
    const { helper } = await connected();
    await helper.authorize({ approve: false });
    await expect(helper.callbackProblem()).toContainText('declined');
    await expect(helper.callbackProblem()).toContainText('The resource owner or authorization server denied the request.');
    await expect(helper.callbackProblem()).toContainText('What to do:');
    assert.equal(helper.address(), `${standin.url}/`);
    assert.equal(await standin.callbackPosts(), 0);
    await expect(helper.status()).toContainText('Not connected to Trakt.');
  });

  test('while its code is on its way, the status says when it is checked', async ({ standin, connected }) => {
    const { helper } = await connected();
    await helper.authorizeLink().waitFor();
    await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 200, body: { success: true }, delay_ms: 1500 });
    await helper.authorize();
    await expect(helper.callbackBusy()).toBeVisible();
    await expect(helper.status()).toContainText('Checked once the code Trakt sent has been sent on.');
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
  });

  test('a return for another user is refused on arrival; nothing is POSTed', async ({ standin, connected }) => {
    const { helper } = await connected();
    await helper.followLinkInPlace();
    const forged = 'a'.repeat(64);
    await helper.open(`?code=${forged}&state=2`);
    await expect(helper.callbackProblem()).toContainText('belongs to another user');
    await expect(helper.callbackProblem()).toContainText('Nothing was sent');
    await expect(helper.confirmReturn(), 'no click is offered for it').toHaveCount(0);
    assert.equal(helper.address(), `${standin.url}/`);
    assert.equal(await standin.callbackPosts(), 0);
  });

  test('a code this tab did not ask for waits for a click, shows the account, and can be discarded', async ({ standin, connected }) => {
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Not connected');
    await helper.open(`?code=${'b'.repeat(64)}&state=1`);
    await expect(helper.confirmAccount()).toContainText('user 1');
    assert.equal(await standin.callbackPosts(), 0, 'nothing is sent on arrival');
    await helper.discardWaitingCode();
    await helper.confirmReturn().waitFor({ state: 'detached' });
    assert.equal(await standin.callbackPosts(), 0);
  });

  test('a code arriving in a tab with no JWT waits for one, then goes with a click', async ({ standin, open }) => {
    // Approved on Trakt from another tab or device: the return opens a tab of its own.
    const { address } = await standin.approvedElsewhere();
    const { helper } = await open();
    await helper.open(new URL(address).search);
    await expect(helper.confirmReturn()).toBeVisible();
    await expect(helper.confirmNeedsJwt()).toContainText('paste your JWT or sign in in step 1 first');
    await expect(helper.sendWaitingCodeButton()).toBeDisabled();
    assert.equal(new URL(helper.address()).search, '', 'no code in the address bar meanwhile');
    await helper.jwt().fill(await standin.token());
    await expect(helper.confirmNeedsJwt()).toHaveCount(0);
    await helper.sendWaitingCode();
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.equal(await standin.callbackPosts(), 1);
  });

  test('a code that was already used is explained', async ({ standin, open }) => {
    const { helper } = await open();
    const jwt = await standin.token();
    await helper.connect({ jwt });
    await helper.authorizeLink().click();
    const yes = await helper.approveOnTrakt().getAttribute('href');
    // Approve outside the browser and spend the code, then bring the browser back with it.
    const decision = await fetch(new URL(yes, `${standin.url}/oauth/authorize`), { redirect: 'manual' });
    const back = new URL(decision.headers.get('location'));
    const spent = await fetch(`${standin.url}/trakt/oauth-callback/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      // The backend's own state, the user id; the link's is the page's nonce.
      body: JSON.stringify({ code: back.searchParams.get('code'), state: '1' }),
    });
    assert.equal(spent.status, 200);
    await helper.open(back.search);
    await expect(helper.callbackProblem()).toContainText('Failed to exchange code for token');
    await expect(helper.callbackProblem()).toContainText('already used or has expired');
    assert.equal(await standin.callbackPosts(), 2);
  });
});

describe('a return that does not hold up', () => {
  // A code without this tab's nonce is checked as a pasted one: one no click could send is
  // refused on arrival.
  const returns = [
    ['a state that does not match', `?code=${hex64('a')}&state=2`, 'belongs to another user'],
    ['a double-encoded state', `?code=${hex64('a')}&state=%2531`, 'belongs to another user'],
    ['a state with a hidden character', `?code=${hex64('a')}&state=1%00`, 'belongs to another user'],
    ['another tab\'s nonce', `?code=${hex64('a')}&state=${'0123456789abcdef'.repeat(2)}`, 'no record of'],
    ['a state without a code', '?state=1', 'it has a state but no code'],
    ['two codes', `?code=${hex64('a')}&code=${hex64('b')}&state=1`, '“code” appears more than once'],
    ['a 10 KB code', `?code=${'a'.repeat(10 * 1024)}&state=1`, 'the code is far too long'],
    ['an empty code', '?code=&state=1', 'the code is empty'],
    ['a code in the fragment', `#code=${hex64('a')}&state=1`, 'after “#” instead of “?”'],
    ['a code with markup in it', '?code=%3Cb%3Ex%3C%2Fb%3E&state=1', 'characters no code has'],
  ];
  for (const [name, suffix, expected] of returns) {
    test(`${name}: explained, removed from the address, nothing sent`, async ({ standin, connected }) => {
      const { helper } = await connected();
      await helper.authorizeLink().waitFor();
      // A fresh load, as a redirect from trakt.tv is (a fragment alone would not reload).
      await helper.page.goto('about:blank');
      await helper.open(suffix);
      await expect(helper.callbackProblem()).toContainText(expected);
      await expect(helper.callbackProblem()).toContainText('What to do:');
      assert.equal(helper.address(), `${standin.url}/`);
      assert.equal(await standin.callbackPosts(), 0);
    });
  }
});

describe('the address bar', () => {
  test('the code leaves the address bar even when the page is served at a path starting with //', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.page.goto(`${standin.url}//?code=${hex64('d')}&state=1`);
    await expect(helper.confirmNeedsJwt()).toBeVisible();
    const address = new URL(helper.address());
    assert.equal(address.pathname, '//');
    assert.equal(address.search, '', 'no code in the address bar');
    assert.equal(await standin.callbackPosts(), 0);
  });

  test('when the browser will not clean the address, the page says so', async ({ open }) => {
    const { context, helper } = await open();
    await context.addInitScript(() => {
      History.prototype.replaceState = () => {
        throw new DOMException('refused', 'SecurityError');
      };
    });
    await helper.open(`?code=${hex64('e')}&state=1`);
    await expect(helper.addressLeft()).toContainText('would not remove the code from the address bar');
  });
});

describe('sending once', () => {
  /** Authorizes (with a double click on the link with `double`); returns the address Trakt sent the tab back to. */
  async function authorizeAndCatchReturn(helper, { double = false } = {}) {
    const returns = helper.recordReturns();
    if (double) {
      await helper.authorizeLink().dblclick();
      await helper.approveOnTrakt().click();
      await helper.heading().waitFor();
    } else {
      await helper.authorize();
    }
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    return returns.at(-1);
  }

  test('a double click on the authorize link still sends one code once', async ({ standin, connected }) => {
    const { helper } = await connected();
    await authorizeAndCatchReturn(helper, { double: true });
    assert.equal(await standin.callbackPosts(), 1);
  });

  test('reload, Back and the same address in a new tab after success send nothing more', async ({ standin, connected }) => {
    const { context, helper } = await connected();
    const returnUrl = await authorizeAndCatchReturn(helper);
    assert.ok(returnUrl?.includes('code='), 'the browser came back with a code');
    await helper.page.reload();
    await expect(helper.status()).toContainText('Connected');
    await helper.page.goBack();
    await helper.page.waitForLoadState();
    const again = new HelperPage(await context.newPage(), returnUrl);
    await again.open();
    await expect(again.callbackProblem()).toContainText('no record of');
    assert.equal(new URL(again.address()).search, '', 'the new tab cleaned its address too');
    assert.equal(await standin.callbackPosts(), 1);
  });

  test('a code sent before Forget is not sent again after it', async ({ standin, connected }) => {
    const { helper } = await connected();
    const returnUrl = await authorizeAndCatchReturn(helper);
    await helper.forget();
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText('Connected');
    await helper.authorizeAgainButton().click();
    const nonce = await helper.followLinkInPlace();
    // The same code, coming back to this tab's new authorization.
    const code = new URL(returnUrl).searchParams.get('code');
    await helper.page.goto(`${standin.url}/?code=${code}&state=${nonce}`);
    await expect(helper.callbackProblem()).toContainText('already sent from this page');
    assert.equal(await standin.callbackPosts(), 1);
  });
});
