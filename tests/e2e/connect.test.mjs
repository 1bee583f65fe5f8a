// Connecting: a backend and a JWT, read before anything is sent, and from them the whole way
// to a connected Trakt.
import assert from 'node:assert/strict';
import { expect, expectNoLeak, test } from './support/fixtures.mjs';
import { base64url, jwtHeader, unsignedJwt } from './support/jwt.mjs';

const { describe } = test;

describe('the whole flow', () => {
  test('connects Trakt: fill in, not connected, authorize, success, connected; reload sends nothing', async ({ standin, open }) => {
    const { context, helper } = await open();
    const jwt = await standin.token();
    await expect(helper.backendUrl(), 'backend defaults to the page origin').toHaveValue(standin.url);

    await expect(helper.currentStep()).toContainText('Backend and sign-in');
    await helper.connect({ backendUrl: standin.url, jwt });
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await expect(helper.currentStep()).toContainText('Authorize on Trakt');
    // The link is there with no other click.
    await expect(helper.redirectCheck()).toContainText('Trakt will send you back to this page');
    await helper.authorize();

    await expect(helper.callbackResult()).toContainText('Trakt is connected. The token expires');
    await expect(helper.callbackResult()).toContainText(/\(in (89|90) days\)/);
    await expect(helper.status()).toContainText('Connected — the Trakt token expires');
    await expect(helper.currentStep()).toContainText('Trakt connection');
    await expect(helper.currentStep(), 'one step is current').toHaveCount(1);
    await expect(helper.authorizeIdle()).toContainText('(for example another Trakt account)');
    assert.equal(helper.address(), `${standin.url}/`, 'code and state are gone from the address bar');
    assert.equal(await standin.callbackPosts(), 1);
    assert.deepEqual((await standin.stats()).connected, ['alice']);

    const trip = context.trakt.find((r) => r.url.startsWith('https://api.trakt.tv/oauth/authorize'));
    assert.ok(trip, 'the browser went to the Trakt authorize page');
    assert.equal(trip.referer, null, 'no Referer header goes to trakt.tv');
    const code = (await standin.stats()).callback_posts_by_code;
    expectNoLeak(helper, jwt, ...Object.keys(code));

    await helper.page.reload();
    await expect(helper.status()).toContainText('Connected — the Trakt token expires');
    await expect(helper.callbackResult()).toHaveCount(0);
    await helper.page.goBack();
    await helper.page.waitForLoadState();
    await helper.page.goForward();
    await expect(helper.status()).toContainText('Connected');
    assert.equal(await standin.callbackPosts(), 1, 'reload, Back and Forward never send the code again');
  });
});

describe('the JWT, read before anything is sent', () => {
  const cases = [
    ['not three parts', 'abc.def', 'This is not a JWT'],
    ['bad base64', `${jwtHeader}.a.sig`, 'cannot be read'],
    ['a character no JWT has', `${jwtHeader}.${base64url({ user_id: 1 })}.sig@`, 'contains “@”'],
    ['not JSON', `${jwtHeader}.${base64url('not json')}.sig`, 'cannot be read'],
    ['an exp in the past', `${jwtHeader}.${base64url({ token_type: 'access', exp: 1000, user_id: 1 })}.sig`, 'This JWT has expired.'],
    ['a refresh token', null, 'This is a refresh token'],
  ];
  for (const [name, jwt, expected] of cases) {
    test(`${name}: said on the page before anything is sent`, async ({ standin, open }) => {
      const token = jwt ?? (await standin.token({ kind: 'refresh' }));
      const { helper } = await open();
      await helper.jwt().fill(token);
      await expect(helper.jwtHint()).toContainText(expected);
      await helper.checkStatusButton().click();
      await expect(helper.statusProblem()).toContainText(expected);
      assert.deepEqual(await standin.traktRequests(), []);
    });
  }

  test('an expired JWT is caught before anything is sent', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.connect({ jwt: await standin.token({ expired: true }) });
    await expect(helper.statusProblem()).toContainText('This JWT has expired.');
    assert.deepEqual(await standin.traktRequests(), []);
  });

  test('an exp near the end of time is refused, not sent', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.connect({ jwt: unsignedJwt('{"token_type":"access","exp":9223372036854775807,"user_id":1}') });
    await expect(helper.statusProblem()).toContainText('not a real date');
    assert.deepEqual(await standin.traktRequests(), []);
  });

  test('a JWT with a character a header cannot carry is refused, never stored, and the page lives on', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.rememberBox().check();
    await helper.connect({ jwt: `${await standin.token()}…` });
    await expect(helper.statusProblem()).toContainText('contains “…”');
    await expect(helper.jwtHint()).toContainText('contains “…”');
    await expect(helper.crashNotice(), 'no crash').toHaveCount(0);
    const stored = await helper.stored();
    assert.equal(stored.local['trakt-helper.remembered-jwt'], undefined, 'not stored');
    assert.equal(stored.session['trakt-helper.jwt'], undefined, 'not stored');
    assert.deepEqual(await standin.traktRequests(), [], 'nothing sent');
    await helper.page.reload();
    await helper.jwt().waitFor();
    await expect(helper.crashNotice(), 'the next visit starts').toHaveCount(0);
  });

  test('a JWT the backend refuses (401) says to sign in again', async ({ standin, open }) => {
    const { helper } = await open();
    const good = await standin.token();
    await helper.connect({ jwt: `${good.slice(0, -4)}AAAA` });
    await expect(helper.statusProblem()).toContainText('refused the JWT');
    await expect(helper.statusProblem()).toContainText('Given token not valid for any token type');
    await expect(helper.statusProblem()).toContainText('Sign in to NowPlaying again');
  });
});

describe('a backend address the page cannot use', () => {
  test('a backend at an IPv6 address is refused with the reason, not blamed on reachability', async ({ standin, open }) => {
    const port = new URL(standin.url).port;
    const { helper } = await open();
    await helper.connect({ backendUrl: `http://[::1]:${port}`, jwt: await standin.token() });
    await expect(helper.statusProblem()).toContainText('IPv6');
    await expect(helper.statusProblem()).toContainText('127.0.0.1');
    await expect(helper.statusProblem()).not.toContainText('Could not reach');
  });

  test('a host with “_” is explained with the fix, not as unreachable', async ({ open }) => {
    const { helper } = await open();
    await helper.backendUrl().fill('http://nowplaying_api:8080');
    await expect(helper.backendUrlHint()).toContainText('a name without “_”');
    await expect(helper.backendUrlHint()).toContainText('IP address');
  });
});
