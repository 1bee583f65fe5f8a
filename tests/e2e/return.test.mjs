// Back from Trakt: the return is checked before anything is sent, its code leaves the address
// bar, and a code is sent once, whatever the browser does next.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HelperPage } from './support/helper-page.mjs';
import { helperSuite } from './support/suite.mjs';
import { textContains } from './support/wait.mjs';

const suite = helperSuite();
const hex64 = (c) => c.repeat(64);

describe('a return this tab can check', () => {
  test('access_denied on Trakt: explained, nothing sent', async (t) => {
    const { helper } = await suite.connected(t);
    await helper.authorize({ approve: false });
    const problem = await textContains(helper.callbackProblem(), 'declined');
    assert.ok(problem.includes('The resource owner or authorization server denied the request.'));
    assert.ok(problem.includes('What to do:'));
    assert.equal(helper.address(), `${suite.standin.url}/`);
    assert.equal(await suite.callbackPosts(), 0);
    await textContains(helper.status(), 'Not connected to Trakt.');
  });

  test('a return for another user is refused on arrival; nothing is POSTed', async (t) => {
    const { helper } = await suite.connected(t);
    await helper.followLinkInPlace();
    const forged = 'a'.repeat(64);
    await helper.open(`?code=${forged}&state=2`);
    const problem = await textContains(helper.callbackProblem(), 'belongs to another user');
    assert.ok(problem.includes('Nothing was sent'));
    assert.equal(await helper.confirmReturn().count(), 0, 'no click is offered for it');
    assert.equal(helper.address(), `${suite.standin.url}/`);
    assert.equal(await suite.callbackPosts(), 0);
  });

  test('a code this tab did not ask for waits for a click, shows the account, and can be discarded', async (t) => {
    const { helper } = await suite.connected(t);
    await textContains(helper.status(), 'Not connected');
    await helper.open(`?code=${'b'.repeat(64)}&state=1`);
    await textContains(helper.confirmAccount(), 'user 1');
    assert.equal(await suite.callbackPosts(), 0, 'nothing is sent on arrival');
    await helper.discardWaitingCode();
    await helper.confirmReturn().waitFor({ state: 'detached' });
    assert.equal(await suite.callbackPosts(), 0);
  });

  test('a code arriving in a tab with no JWT is refused with what to do', async (t) => {
    const { helper } = await suite.open(t);
    await helper.open(`?code=${'b'.repeat(64)}&state=1`);
    await textContains(helper.callbackProblem(), 'no JWT on this page');
    assert.equal(await suite.callbackPosts(), 0);
  });

  test('a code that was already used is explained', async (t) => {
    const { standin } = suite;
    const { helper } = await suite.open(t);
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
    const problem = await textContains(helper.callbackProblem(), 'Failed to exchange code for token');
    assert.ok(problem.includes('already used or has expired'), problem);
    assert.equal(await suite.callbackPosts(), 2);
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
    test(`${name}: explained, removed from the address, nothing sent`, async (t) => {
      const { helper } = await suite.connected(t);
      await helper.authorizeLink().waitFor();
      // A fresh load, as a redirect from trakt.tv is (a fragment alone would not reload).
      await helper.page.goto('about:blank');
      await helper.open(suffix);
      const problem = await textContains(helper.callbackProblem(), expected);
      assert.ok(problem.includes('What to do:'));
      assert.equal(helper.address(), `${suite.standin.url}/`);
      assert.equal(await suite.callbackPosts(), 0);
    });
  }
});

describe('the address bar', () => {
  test('the code leaves the address bar even when the page is served at a path starting with //', async (t) => {
    const { helper } = await suite.open(t);
    await helper.page.goto(`${suite.standin.url}//?code=${hex64('d')}&state=1`);
    await textContains(helper.callbackProblem(), 'no JWT on this page');
    const address = new URL(helper.address());
    assert.equal(address.pathname, '//');
    assert.equal(address.search, '', 'no code in the address bar');
    assert.equal(await suite.callbackPosts(), 0);
  });

  test('when the browser will not clean the address, the page says so', async (t) => {
    const { context, helper } = await suite.open(t);
    await context.addInitScript(() => {
      History.prototype.replaceState = () => {
        throw new DOMException('refused', 'SecurityError');
      };
    });
    await helper.open(`?code=${hex64('e')}&state=1`);
    await textContains(helper.addressLeft(), 'would not remove the code from the address bar');
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
    await textContains(helper.callbackResult(), 'Trakt is connected.');
    return returns.at(-1);
  }

  test('a double click on the authorize link still sends one code once', async (t) => {
    const { helper } = await suite.connected(t);
    await authorizeAndCatchReturn(helper, { double: true });
    assert.equal(await suite.callbackPosts(), 1);
  });

  test('reload, Back and the same address in a new tab after success send nothing more', async (t) => {
    const { context, helper } = await suite.connected(t);
    const returnUrl = await authorizeAndCatchReturn(helper);
    assert.ok(returnUrl?.includes('code='), 'the browser came back with a code');
    await helper.page.reload();
    await textContains(helper.status(), 'Connected');
    await helper.page.goBack();
    await helper.page.waitForLoadState();
    const again = new HelperPage(await context.newPage(), returnUrl);
    await again.open();
    await textContains(again.callbackProblem(), 'no record of');
    assert.equal(new URL(again.address()).search, '', 'the new tab cleaned its address too');
    assert.equal(await suite.callbackPosts(), 1);
  });

  test('a code sent before Forget is not sent again after it', async (t) => {
    const { helper } = await suite.connected(t);
    const returnUrl = await authorizeAndCatchReturn(helper);
    await helper.forget();
    await helper.connect({ jwt: await suite.standin.token() });
    await textContains(helper.status(), 'Connected');
    await helper.authorizeAgainButton().click();
    const nonce = await helper.followLinkInPlace();
    // The same code, coming back to this tab's new authorization.
    const code = new URL(returnUrl).searchParams.get('code');
    await helper.page.goto(`${suite.standin.url}/?code=${code}&state=${nonce}`);
    await textContains(helper.callbackProblem(), 'already sent from this page');
    assert.equal(await suite.callbackPosts(), 1);
  });
});
