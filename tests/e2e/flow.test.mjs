// The whole flow in a real Chromium, against the release build served by the stand-in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStandin } from './support/standin.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { assertNoLeak, helperSuite } from './support/suite.mjs';
import { eventually, textContains } from './support/wait.mjs';

const suite = helperSuite();
const freshHelper = (backend) => suite.open(backend);
const callbackPosts = () => suite.callbackPosts();

describe('the helper, end to end', () => {
  let standin;
  before(() => {
    standin = suite.standin;
  });

  test('connects Trakt: fill in, not connected, authorize, success, connected; reload sends nothing', async () => {
    const { context, helper } = await freshHelper();
    const jwt = await standin.token();
    assert.equal(await helper.backendUrl().inputValue(), standin.url, 'backend defaults to the page origin');

    await textContains(helper.currentStep(), 'Backend and sign-in');
    await helper.connect({ backendUrl: standin.url, jwt });
    await textContains(helper.status(), 'Not connected to Trakt.');
    await textContains(helper.currentStep(), 'Authorize on Trakt');
    // The link is there with no other click.
    await textContains(helper.redirectCheck(), 'Trakt will send you back to this page');
    await helper.authorize();

    const result = await textContains(helper.callbackResult(), 'Trakt is connected. The token expires');
    assert.match(result, /\(in (89|90) days\)/);
    await textContains(helper.status(), 'Connected — the Trakt token expires');
    await textContains(helper.currentStep(), 'Trakt connection');
    assert.equal(await helper.currentStep().count(), 1, 'one step is current');
    await textContains(helper.authorizeIdle(), '(for example another Trakt account)');
    assert.equal(helper.address(), `${standin.url}/`, 'code and state are gone from the address bar');
    assert.equal(await callbackPosts(), 1);
    assert.deepEqual((await standin.stats()).connected, ['alice']);

    const trip = context.trakt.find((r) => r.url.startsWith('https://api.trakt.tv/oauth/authorize'));
    assert.ok(trip, 'the browser went to the Trakt authorize page');
    assert.equal(trip.referer, null, 'no Referer header goes to trakt.tv');
    const code = (await standin.stats()).callback_posts_by_code;
    assertNoLeak(helper, jwt, ...Object.keys(code));

    await helper.page.reload();
    await textContains(helper.status(), 'Connected — the Trakt token expires');
    assert.equal(await helper.callbackResult().count(), 0);
    await helper.page.goBack();
    await helper.page.waitForLoadState();
    await helper.page.goForward();
    await textContains(helper.status(), 'Connected');
    assert.equal(await callbackPosts(), 1, 'reload, Back and Forward never send the code again');
    await context.close();
  });

  test('settings survive the trip; the JWT stays in the tab unless remembered; Forget clears all', async () => {
    const { context, helper } = await freshHelper();
    const jwt = await standin.token();
    await helper.connect({ backendUrl: `${standin.url}/`, jwt });
    await textContains(helper.status(), 'Not connected to Trakt.');
    const stored = await helper.page.evaluate(() => ({
      local: { ...localStorage },
      session: { ...sessionStorage },
    }));
    // The JWT is kept with the backend that accepted it.
    assert.deepEqual(JSON.parse(stored.session['trakt-helper.jwt']), { token: jwt, backend: standin.url });
    assert.equal(stored.local['trakt-helper.remembered-jwt'], undefined, 'JWT not on the device by default');
    assert.equal(stored.local['trakt-helper.backend-url'], `${standin.url}/`);

    await helper.rememberBox().check();
    await eventually(async () => {
      const local = await helper.page.evaluate(() => localStorage.getItem('trakt-helper.remembered-jwt'));
      assert.deepEqual(JSON.parse(local), { token: jwt, backend: standin.url });
    });
    const second = new HelperPage(await context.newPage(), `${standin.url}/`);
    await second.open();
    await eventually(async () => assert.equal(await second.jwt().inputValue(), jwt));
    await second.page.close();

    await helper.forgetButton().click();
    await eventually(async () => {
      const left = await helper.page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]);
      assert.deepEqual(left.sort(), ['trakt-helper.forget-epoch', 'trakt-helper.tab-epoch'], 'only the Forget epoch');
    });
    assert.equal(await helper.jwt().inputValue(), '');
    await context.close();
  });

  test('access_denied on Trakt: explained, nothing sent', async () => {
    const { context, helper } = await freshHelper();
    await helper.connect({ jwt: await standin.token() });
    await helper.authorize({ approve: false });
    const problem = await textContains(helper.callbackProblem(), 'declined');
    assert.ok(problem.includes('The resource owner or authorization server denied the request.'));
    assert.ok(problem.includes('What to do:'));
    assert.equal(helper.address(), `${standin.url}/`);
    assert.equal(await callbackPosts(), 0);
    await textContains(helper.status(), 'Not connected to Trakt.');
    await context.close();
  });

  test('a return for another user is refused on arrival; nothing is POSTed', async () => {
    const { context, helper } = await freshHelper();
    await helper.connect({ jwt: await standin.token() });
    await helper.followLinkInPlace();
    const forged = 'a'.repeat(64);
    await helper.open(`?code=${forged}&state=2`);
    const problem = await textContains(helper.callbackProblem(), 'belongs to another user');
    assert.ok(problem.includes('Nothing was sent'));
    assert.equal(await helper.confirmReturn().count(), 0, 'no click is offered for it');
    assert.equal(helper.address(), `${standin.url}/`);
    assert.equal(await callbackPosts(), 0);
    await context.close();
  });

  test('a code this tab did not ask for waits for a click, shows the account, and can be discarded', async () => {
    const { context, helper } = await freshHelper();
    await helper.connect({ jwt: await standin.token() });
    await textContains(helper.status(), 'Not connected');
    await helper.open(`?code=${'b'.repeat(64)}&state=1`);
    await textContains(helper.confirmAccount(), 'user 1');
    assert.equal(await callbackPosts(), 0, 'nothing is sent on arrival');
    await helper.discardWaitingCode();
    await helper.confirmReturn().waitFor({ state: 'detached' });
    assert.equal(await callbackPosts(), 0);
    await context.close();
  });

  test('a code arriving in a tab with no JWT is refused with what to do', async () => {
    const { context, helper } = await freshHelper();
    await helper.open(`?code=${'b'.repeat(64)}&state=1`);
    await textContains(helper.callbackProblem(), 'no JWT on this page');
    assert.equal(await callbackPosts(), 0);
    await context.close();
  });

  test('a JWT the backend refuses (401) says to sign in again', async () => {
    const { context, helper } = await freshHelper();
    const good = await standin.token();
    await helper.connect({ jwt: `${good.slice(0, -4)}AAAA` });
    const problem = await textContains(helper.statusProblem(), 'refused the JWT');
    assert.ok(problem.includes('Given token not valid for any token type'));
    assert.ok(problem.includes('Sign in to NowPlaying again'));
    await context.close();
  });

  test('an expired JWT is caught before anything is sent', async () => {
    const { context, helper } = await freshHelper();
    await helper.connect({ jwt: await standin.token({ expired: true }) });
    await textContains(helper.statusProblem(), 'This JWT has expired.');
    const requests = (await standin.stats()).requests.filter((r) => r.path.startsWith('/trakt/'));
    assert.deepEqual(requests, []);
    await context.close();
  });

  test('a backend that is down: unreachable, with the origin to allow', async () => {
    const { context, helper } = await freshHelper();
    const down = await startStandin();
    const downUrl = down.url;
    await down.stop();
    await helper.connect({ backendUrl: downUrl, jwt: await standin.token() });
    const problem = await textContains(helper.statusProblem(), `Could not reach the backend at ${downUrl}`);
    assert.ok(problem.includes(`add ${standin.url} to CORS_ALLOWED_ORIGINS`), problem);
    await context.close();
  });

  test('a backend without Trakt credentials says how to add them', async () => {
    const { context, helper } = await freshHelper();
    await helper.connect({ jwt: await standin.token({ user: 'bob' }) });
    const problem = await textContains(helper.authorizeProblem(), 'No Trakt API key found');
    assert.ok(problem.includes('Client ID and Client Secret'));
    assert.equal(await helper.authorizeLink().count(), 0);
    await context.close();
  });

  test('a code that was already used is explained', async () => {
    const { context, helper } = await freshHelper();
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
    assert.equal(await callbackPosts(), 2);
    await context.close();
  });
});

describe('requests at page open', () => {
  test('none without settings; the status, then the link only when not connected; no polling', async () => {
    const backendRequests = async () => (await suite.standin.calls()).filter((r) => !r.path.includes('.') && r.path !== '/');
    const { context, helper } = await suite.open();
    await helper.page.waitForTimeout(1500);
    assert.deepEqual(await backendRequests(), [], 'a fresh page asks the backend nothing');
    // But where NowPlaying is: its own origin, and /api on it, once each, without a JWT.
    const discovered = (await suite.standin.discoveries()).map((r) => r.path).sort();
    assert.deepEqual(discovered, ['/api/auth/current-user/', '/auth/current-user/']);

    await helper.jwt().fill(await suite.standin.token());
    const cases = [
      [true, 'Connected', ['GET /trakt/auth-status/']],
      [false, 'Not connected to Trakt.', ['GET /trakt/auth-status/', 'GET /trakt/authenticate/']],
    ];
    for (const [connected, shown, asked] of cases) {
      await suite.standin.reset();
      await suite.standin.setUser({ user: 'alice', trakt_connected: connected });
      await helper.page.reload();
      await textContains(helper.status(), shown);
      await helper.page.waitForTimeout(2500);
      assert.deepEqual(
        (await backendRequests()).map((r) => `${r.method} ${r.path}`),
        asked,
        `with Trakt ${connected ? '' : 'not '}connected`,
      );
    }
    await context.close();
  });
});

describe('a backend whose redirect URI is not this page', () => {
  let elsewhere;
  before(async () => {
    elsewhere = await startStandin(['--redirect-uri', 'http://127.0.0.1:9/trakt/oauth-callback/']);
  });
  after(() => elsewhere?.stop());

  test('shows where the code will go and the exact value to register', async () => {
    const { context, helper } = await freshHelper(elsewhere);
    await helper.connect({ jwt: await elsewhere.token() });
    const notice = await textContains(helper.redirectCheck(), 'Trakt will send the code to');
    assert.ok(notice.includes('http://127.0.0.1:9/trakt/oauth-callback/'));
    assert.equal(await helper.redirectToRegister().textContent(), `${elsewhere.url}/`);
    await context.close();
  });
});
