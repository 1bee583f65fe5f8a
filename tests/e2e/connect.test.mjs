// Connecting: a backend and a JWT, read before anything is sent, and from them the whole way
// to a connected Trakt.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoLeak, helperSuite } from './support/suite.mjs';
import { base64url, jwtHeader, unsignedJwt } from './support/jwt.mjs';
import { textContains } from './support/wait.mjs';

const suite = helperSuite();

describe('the whole flow', () => {
  test('connects Trakt: fill in, not connected, authorize, success, connected; reload sends nothing', async (t) => {
    const { standin } = suite;
    const { context, helper } = await suite.open(t);
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
    assert.equal(await suite.callbackPosts(), 1);
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
    assert.equal(await suite.callbackPosts(), 1, 'reload, Back and Forward never send the code again');
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
    test(`${name}: said on the page before anything is sent`, async (t) => {
      const token = jwt ?? (await suite.standin.token({ kind: 'refresh' }));
      const { helper } = await suite.open(t);
      await helper.jwt().fill(token);
      await textContains(helper.jwtHint(), expected);
      await helper.checkStatusButton().click();
      await textContains(helper.statusProblem(), expected);
      assert.deepEqual(await suite.traktRequests(), []);
    });
  }

  test('an expired JWT is caught before anything is sent', async (t) => {
    const { helper } = await suite.open(t);
    await helper.connect({ jwt: await suite.standin.token({ expired: true }) });
    await textContains(helper.statusProblem(), 'This JWT has expired.');
    assert.deepEqual(await suite.traktRequests(), []);
  });

  test('an exp near the end of time is refused, not sent', async (t) => {
    const { helper } = await suite.open(t);
    await helper.connect({ jwt: unsignedJwt('{"token_type":"access","exp":9223372036854775807,"user_id":1}') });
    await textContains(helper.statusProblem(), 'not a real date');
    assert.deepEqual(await suite.traktRequests(), []);
  });

  test('a JWT with a character a header cannot carry is refused, never stored, and the page lives on', async (t) => {
    const { helper } = await suite.open(t);
    await helper.rememberBox().check();
    await helper.connect({ jwt: `${await suite.standin.token()}…` });
    await textContains(helper.statusProblem(), 'contains “…”');
    await textContains(helper.jwtHint(), 'contains “…”');
    assert.equal(await helper.crashNotice().count(), 0, 'no crash');
    const stored = await helper.stored();
    assert.equal(stored.local['trakt-helper.remembered-jwt'], undefined, 'not stored');
    assert.equal(stored.session['trakt-helper.jwt'], undefined, 'not stored');
    assert.deepEqual(await suite.traktRequests(), [], 'nothing sent');
    await helper.page.reload();
    await helper.jwt().waitFor();
    assert.equal(await helper.crashNotice().count(), 0, 'the next visit starts');
  });

  test('a JWT the backend refuses (401) says to sign in again', async (t) => {
    const { helper } = await suite.open(t);
    const good = await suite.standin.token();
    await helper.connect({ jwt: `${good.slice(0, -4)}AAAA` });
    const problem = await textContains(helper.statusProblem(), 'refused the JWT');
    assert.ok(problem.includes('Given token not valid for any token type'));
    assert.ok(problem.includes('Sign in to NowPlaying again'));
  });
});

describe('a backend address the page cannot use', () => {
  test('a backend at an IPv6 address is refused with the reason, not blamed on reachability', async (t) => {
    const port = new URL(suite.standin.url).port;
    const { helper } = await suite.open(t);
    await helper.connect({ backendUrl: `http://[::1]:${port}`, jwt: await suite.standin.token() });
    const problem = await textContains(helper.statusProblem(), 'IPv6');
    assert.ok(problem.includes('127.0.0.1'), problem);
    assert.ok(!problem.includes('Could not reach'), problem);
  });

  test('a host with “_” is explained with the fix, not as unreachable', async (t) => {
    const { helper } = await suite.open(t);
    await helper.backendUrl().fill('http://nowplaying_api:8080');
    const hint = await textContains(helper.backendUrlHint(), 'a name without “_”');
    assert.ok(hint.includes('IP address'), hint);
  });
});
