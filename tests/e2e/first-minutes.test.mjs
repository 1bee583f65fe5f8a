// What a person meets in the first minutes: the link shows without asking, a backend
// typed first is reached on the first click, a code from elsewhere can be pasted, and
// Forget leaves nothing behind.
import assert from 'node:assert/strict';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;
// What the person's clicks and the flow asked (the page's discovery of NowPlaying aside).
const backendRequests = async (standin) =>
  (await standin.calls()).filter((r) => r.path.startsWith('/trakt/') || r.path.startsWith('/auth/')).map((r) => `${r.method} ${r.path}`);

describe('the authorize link is there as soon as Trakt is not connected', () => {
  test('Check status → the link with its redirect check, with no other click; status and link asked once each', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await helper.authorizeLink().waitFor();
    await expect(helper.redirectCheck()).toContainText('Trakt will send you back to this page');
    await expect(helper.getLinkAgain(), 'nothing to click before the link').toHaveCount(0);
    await helper.page.waitForTimeout(1000);
    assert.deepEqual(await backendRequests(standin), ['GET /trakt/auth-status/', 'GET /trakt/authenticate/']);
  });

  test('a user without Trakt keys sees the form open by itself, with the backend\'s message, and gets the link on saving', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.connect({ jwt: await standin.token({ user: 'bob' }) });
    await expect(helper.authorizeProblem()).toContainText('No Trakt API key found. Please add it in profile settings.');
    assert.equal(await helper.traktKeysForm().evaluate((details) => details.open), true, 'the form opened by itself');
    await helper.saveTraktKeys('bob-client-id', 'bob-secret');
    await helper.authorizeLink().waitFor();
    await helper.authorize();
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
  });
});

describe('a backend on another origin, typed first, is reached on the first click', () => {
  test('the first Sign in click signs in, without a reload', async ({ standin, open, startStandin }) => {
    const other = await startStandin();
    const { helper } = await open();
    await helper.backendUrl().fill(other.url);
    await helper.markDocument();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.signInDone()).toContainText('Signed in');
    assert.ok(await helper.sameDocument(), 'the page did not reload');
    assert.match(await helper.jwt().inputValue(), /^eyJ/);
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const requests = await backendRequests(other);
    assert.deepEqual(requests.filter((r) => r === 'POST /auth/login/'), ['POST /auth/login/'], 'one sign-in');
    assert.deepEqual(await backendRequests(standin), [], 'nothing but the discovery (no JWT) went to the page\'s own origin');
  });

  test('the first Check status click checks, without a reload', async ({ open, startStandin }) => {
    const other = await startStandin();
    const { helper } = await open();
    await helper.markDocument();
    await helper.connect({ backendUrl: other.url, jwt: await other.token() });
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await helper.authorizeLink().waitFor();
    assert.ok(await helper.sameDocument(), 'the page did not reload');
    assert.deepEqual(await backendRequests(other), ['GET /trakt/auth-status/', 'GET /trakt/authenticate/']);
  });

  test('switching to another backend later reloads once, keeping the user name typed before', async ({ standin, open, startStandin }) => {
    const other = await startStandin();
    const { helper } = await open();
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await helper.openSignIn();
    await helper.userName().fill('alice');
    await helper.markDocument();
    await helper.backendUrl().fill(other.url);
    await helper.backendUrl().press('Tab');
    await helper.page.waitForFunction(() => window.__markedDocument === undefined);
    await helper.userName().waitFor();
    assert.equal(await helper.userName().inputValue(), 'alice', 'the user name survived the reload');
    assert.equal(await helper.backendUrl().inputValue(), other.url);
    await helper.signIn('alice', 'alice-password');
    await expect(helper.signInDone()).toContainText('Signed in');
    assert.deepEqual((await backendRequests(other)).filter((r) => r === 'POST /auth/login/'), ['POST /auth/login/']);
    const stored = await helper.stored();
    assert.ok(!Object.keys(stored.session).some((k) => k.includes('draft')), 'drafts are read once');
  });
});

describe('pasting an authorization started elsewhere', () => {
  test('with the JWT user\'s state and nothing pending: one POST, connected', async ({ standin, open }) => {
    await standin.setUser({ user: 'alice', trakt_connected: true });
    const { helper } = await open();
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText('Connected');
    const pending = await helper.page.evaluate(() => sessionStorage.getItem('trakt-helper.pending-authorization'));
    assert.equal(pending, null, 'no authorization is pending in this tab');
    const elsewhere = await standin.approvedElsewhere();
    assert.equal(elsewhere.state, '1', 'the backend makes state the user id');
    await helper.paste(elsewhere.address);
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.equal(await standin.callbackPosts(), 1);

    // A bare code started elsewhere goes with the JWT's user.
    const bare = await standin.approvedElsewhere();
    await helper.paste(bare.code);
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.equal(await standin.callbackPosts(), 2);
  });

  test('with another user\'s state: refused, nothing sent', async ({ standin, open }) => {
    await standin.setUser({ user: 'alice', trakt_connected: true });
    const { helper } = await open();
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText('Connected');
    const elsewhere = await standin.approvedElsewhere();
    const forged = new URL(elsewhere.address);
    forged.searchParams.set('state', '2');
    await helper.paste(forged.href);
    await expect(helper.callbackProblem()).toContainText('belongs to another user');
    await expect(helper.callbackProblem()).toContainText('Nothing was sent');
    assert.equal(await standin.callbackPosts(), 0);
  });
});

describe('Forget leaves nothing behind', () => {
  test('sign in, Forget: both storages hold nothing of the page\'s, and an expired JWT is not renewed', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await helper.authorizeLink().waitFor();
    const before = await helper.stored();
    assert.ok(Object.keys(before.session).includes('trakt-helper.refresh-jwt'));
    await helper.forget();
    const after = await helper.stored();
    // Only the Forget epoch is left: a random number that tells a tab away at trakt.tv
    // that its data is older.
    const epoch = after.local['trakt-helper.forget-epoch'];
    assert.match(epoch, /^\d+$/);
    assert.deepEqual(after, {
      local: { 'trakt-helper.forget-epoch': epoch },
      session: { 'trakt-helper.tab-epoch': epoch },
    });
    assert.equal(await helper.jwt().inputValue(), '');
    // The steps are built anew, as on a first visit: the sign-in form closed and empty.
    await helper.openSignIn();
    assert.equal(await helper.userName().inputValue(), '', 'the typed user name is gone too');

    await helper.connect({ jwt: await standin.token({ expired: true }) });
    await expect(helper.statusProblem()).toContainText('This JWT has expired.');
    const refreshes = await standin.requestsTo('/auth/token/refresh/');
    assert.deepEqual(refreshes, [], 'no refresh token was left to renew it with');
  });
});
