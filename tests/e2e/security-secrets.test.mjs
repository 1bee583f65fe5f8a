// Where the JWT and the code may go: the JWT only to the backend that accepted it (as a
// Bearer header), the code once to that backend; neither to the address bar, the console,
// another host, or a backend chosen since.
import assert from 'node:assert/strict';
import { HelperPage } from './support/helper-page.mjs';
import { expect, expectNoLeak, test } from './support/fixtures.mjs';

const { describe } = test;

describe('the JWT and the code', () => {
  test('the JWT and the code reach only the backend, never the address bar, the console or another host', async ({ standin, open }) => {
    const { context, helper } = await open();
    // Each request's headers are read while the context is open: the test stops listening and
    // awaits them below. A listener awaiting them itself could still be waiting when the
    // context closes, and fail the next test.
    const seen = [];
    const note = (request) => {
      seen.push(request.allHeaders().then((headers) => ({ url: request.url(), method: request.method(), headers, body: request.postData() })));
    };
    context.on('request', note);
    const jwt = await standin.token();
    await helper.connect({ jwt });
    await helper.authorize();
    await expect(helper.status()).toContainText('Connected');
    const [code] = Object.keys((await standin.stats()).callback_posts_by_code);
    assert.ok(code);
    expectNoLeak(helper, jwt, code);

    context.off('request', note);
    const requests = await Promise.all(seen);
    for (const request of requests) {
      const origin = new URL(request.url).origin;
      assert.ok([standin.url, 'https://api.trakt.tv'].includes(origin), `request to ${request.url}`);
      assert.ok(!request.url.includes(jwt), `JWT in ${request.url}`);
      assert.ok(!(request.headers.referer ?? '').includes(code), `code in the Referer of ${request.url}`);
      const withJwt = Object.values(request.headers).some((v) => v.includes(jwt));
      if (withJwt) {
        assert.equal(request.headers.authorization, `Bearer ${jwt}`);
        assert.ok(request.url.startsWith(`${standin.url}/trakt/`), `JWT sent to ${request.url}`);
      }
      if (origin === 'https://api.trakt.tv') assert.equal(request.headers.authorization, undefined);
    }
    const withCode = requests.filter((r) => r.url.includes(code) || (r.body ?? '').includes(code));
    assert.deepEqual(
      withCode.map((r) => `${r.method} ${new URL(r.url).pathname}`),
      ['GET /', 'POST /trakt/oauth-callback/'],
      'the code arrives once in the address and leaves once, to the backend',
    );
  });
});

describe('tokens belong to the backend that issued them', () => {
  test('switching backends drops the signed-in tokens and the status; the new backend never gets the old refresh token', async ({ standin, open, startStandin }) => {
    const other = await startStandin();
    await standin.setUser({ user: 'alice', trakt_connected: true });
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.status()).toContainText('Connected');
    await helper.backendUrl().fill(other.url);
    await helper.backendUrl().press('Tab');
    // Read from whichever document is there: the page may reload for the new backend.
    await expect.poll(() => helper.status().textContent({ timeout: 1000 })).not.toContain('Connected');
    await helper.jwt().waitFor();
    await expect(helper.jwt(), 'the JWT the old backend issued is gone').toHaveValue('');
    const stored = await helper.stored();
    assert.equal(stored.session['trakt-helper.refresh-jwt'], undefined, 'the old refresh token is gone');
    assert.equal(stored.session['trakt-helper.signed-in-as'], undefined);
    await helper.connect({ jwt: await other.token({ expired: true }) });
    await expect(helper.statusProblem()).toContainText('This JWT has expired.');
    const refreshes = await other.requestsTo('/auth/token/refresh/');
    assert.deepEqual(refreshes, [], 'no refresh token went to the new backend');
  });

  test('a JWT pasted after signing in is never renewed with the earlier user\'s refresh token', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await helper.connect({ jwt: await standin.token({ user: 'bob', expired: true }) });
    await expect(helper.statusProblem()).toContainText('This JWT has expired.');
    const refreshes = await standin.requestsTo('/auth/token/refresh/');
    assert.deepEqual(refreshes, [], 'alice\'s refresh token was not used for bob\'s JWT');
    const stored = await helper.stored();
    assert.equal(stored.session['trakt-helper.refresh-jwt'], undefined);
    assert.equal(stored.session['trakt-helper.signed-in-as'], undefined);
  });

  test('a JWT remembered for one backend is never sent to another from a new tab', async ({ standin, open, startStandin }) => {
    const other = await startStandin();
    const { context, helper } = await open();
    await helper.backendUrl().fill(other.url);
    await helper.rememberBox().check();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    // A new tab starts from what this device remembers: the backend and its JWT. That
    // backend is down for a moment, so the new tab never learns the JWT is its.
    await other.fault({ method: 'GET', path: '/trakt/auth-status/', kind: 'drop', times: 1 });
    const tab = new HelperPage(await context.newPage(), `${standin.url}/`);
    await tab.open();
    await helper.page.close();
    await expect(tab.backendUrl()).toHaveValue(other.url);
    await expect(tab.status()).toContainText('Could not check');
    await tab.backendUrl().fill(standin.url);
    await tab.checkStatusButton().click();
    await tab.page.waitForTimeout(500);
    assert.deepEqual(await standin.authorized(), [], 'the page\'s own backend got no JWT');
  });

  test('a half-typed backend is never stored: a new tab sends the remembered JWT to its own backend', async ({ standin, open }) => {
    const { context, helper } = await open();
    await helper.rememberBox().check();
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    // Typed, not committed (no Enter, the field not left).
    await helper.backendUrl().fill('http://127.0.0.1:9');
    const { local } = await helper.stored();
    assert.equal(local['trakt-helper.backend-url'], undefined, 'the half-typed backend is not stored');
    await standin.reset();
    const tab = new HelperPage(await context.newPage(), `${standin.url}/`);
    await tab.open();
    await expect(tab.status()).toContainText('Not connected to Trakt.');
    await expect(tab.backendUrl()).toHaveValue(standin.url);
    assert.deepEqual((await standin.traktRequests()).map((r) => r.path), ['/trakt/auth-status/', '/trakt/authenticate/']);
  });

  test('a JWT dropped with its backend leaves no copy in the field\'s value attribute', async ({ standin, connected }) => {
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    // A reload gives the field its JWT as the attribute it starts with.
    await helper.page.reload();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const jwt = await helper.jwt().inputValue();
    assert.match(jwt, /^eyJ/);
    await helper.markDocument();
    // Another backend on the same origin: no reload, the same document.
    await helper.backendUrl().fill(`${standin.url}/api`);
    await helper.backendUrl().press('Tab');
    await expect(helper.jwt()).toHaveValue('');
    assert.ok(await helper.sameDocument(), 'the page did not reload');
    const html = await helper.page.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!html.includes(jwt), 'the JWT is nowhere in the document');
    assert.equal(await helper.jwt().getAttribute('value'), null);
  });
});
