// Signing in with a NowPlaying user name and password instead of pasting a JWT: the access
// token fills the JWT field and is renewed with the refresh token, at the backend that issued it.
import assert from 'node:assert/strict';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

describe('sign in instead of pasting a JWT', () => {
  test('the access token fills the JWT field, counts down, and the status follows', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.signInDone()).toContainText('Signed in');
    await expect(helper.jwt()).toHaveValue(/^eyJ/);
    await expect(helper.jwtHint()).toContainText('Access token for alice (user 1), expires in 59:');
    const first = await helper.jwtHint().textContent();
    await expect(helper.jwtHint()).not.toHaveText(first);
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const stored = await helper.stored();
    // Kept with the backend that issued it, in this tab only.
    assert.match(JSON.parse(stored.session['trakt-helper.refresh-jwt']).token, /^eyJ/);
    assert.equal(JSON.parse(stored.session['trakt-helper.refresh-jwt']).backend, standin.url);
    assert.ok(!JSON.stringify(stored.local).includes('refresh'), 'the refresh token never leaves the tab');
  });

  test('a wrong password and missing fields are shown per field', async ({ open }) => {
    const { helper } = await open();
    await helper.signIn('alice', 'wrong');
    await expect(helper.signInProblem()).toContainText('Invalid credentials');
    await helper.signIn('', '');
    await expect(helper.userNameError()).toContainText('This field is required.');
    await expect(helper.passwordError()).toContainText('This field is required.');
    await expect(helper.jwt()).toHaveValue('');
  });

  test('an access token that expires mid-flow is renewed with the refresh token', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const expired = await standin.token({ expired: true });
    await helper.jwt().fill(expired);
    await expect(helper.jwtHint()).toContainText('This access token has expired: the page renews it with your sign-in');
    await helper.checkStatusButton().click();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const renewed = await helper.jwt().inputValue();
    assert.notEqual(renewed, expired);
    const refreshes = await standin.requestsTo('/auth/token/refresh/');
    assert.equal(refreshes.length, 1);
  });
});

describe('while the expired access token is renewed', () => {
  /**
   * Signed in as alice with an access token that has expired since, the renewal held
   * `delay_ms` and answered with `renewal` (a new access token by default), then back from
   * Trakt with a code approved elsewhere: the page opens asking for the renewal.
   */
  async function backExpired(standin, open, { delay_ms, renewal }) {
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const expired = await standin.token({ expired: true });
    await helper.page.evaluate(
      ([token, backend]) => sessionStorage.setItem('trakt-helper.jwt', JSON.stringify({ token, backend })),
      [expired, standin.url],
    );
    const answer = renewal ?? { status: 200, body: { access: await standin.token() } };
    const { address } = await standin.approvedElsewhere();
    // The last call to the stand-in's controls: with a `drop` fault it closes every
    // connection after one answer.
    await standin.fault({ method: 'POST', path: '/auth/token/refresh/', ...answer, delay_ms, times: 1 });
    await helper.open(new URL(address).search);
    return helper;
  }

  test('a code sent on waits for the renewal the status asked for, shown as on its way', async ({ standin, open }) => {
    const helper = await backExpired(standin, open, { delay_ms: 5000 });
    // Signed in, the person is not asked for a JWT: the code may go at once.
    await helper.sendWaitingCodeButton().waitFor();
    assert.ok(await helper.sendWaitingCodeButton().isEnabled(), 'the code can be sent while the JWT is renewed');
    assert.equal(await helper.confirmNeedsJwt().count(), 0);
    await helper.sendWaitingCode();
    await expect(helper.callbackBusy()).toContainText('Finishing the Trakt connection');
    assert.equal(await standin.callbackPosts(), 0, 'the code waits for the renewal');
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    await expect(helper.status()).toContainText('Connected');
    assert.equal(await standin.callbackPosts(), 1);
    // The stand-in does not record a faulted request: the one renewal was the held one.
    assert.deepEqual(await standin.requestsTo('/auth/token/refresh/'), [], 'no second renewal');
  });

  test('a code sent on whose renewal is refused waits again, unclaimed, and goes after a new sign-in', async ({ standin, open }) => {
    const refused = { status: 401, body: { detail: 'Token is invalid or expired', code: 'token_not_valid' } };
    const helper = await backExpired(standin, open, { delay_ms: 1500, renewal: refused });
    await helper.sendWaitingCode();
    await expect(helper.callbackBusy()).toBeVisible();
    // Refused: the code waits for a JWT again; nothing was sent or spent.
    await expect(helper.confirmNeedsJwt()).toContainText('paste your JWT or sign in');
    assert.equal(await standin.callbackPosts(), 0);
    await helper.signIn('alice', 'alice-password');
    await helper.sendWaitingCode();
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.equal(await standin.callbackPosts(), 1);
  });

  test('a renewal the backend drops is explained as such, and the sign-in stays for another try', async ({ standin, open }) => {
    const helper = await backExpired(standin, open, { delay_ms: 0, renewal: { kind: 'drop' } });
    await expect(helper.statusProblem()).toContainText('Could not reach the backend');
    await expect(helper.statusProblem()).not.toContainText('expired');
    const stored = await helper.stored();
    assert.ok(stored.session['trakt-helper.refresh-jwt'], 'the refresh token is kept');
    // The code waits for the click; sent on, it is renewed again, and goes.
    await helper.sendWaitingCode();
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.equal(await standin.callbackPosts(), 1);
  });

  test('a form opened while a code waits for the renewal waits for the same one', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.authorizeLink()).toBeVisible();
    const { address } = await standin.approvedElsewhere();
    const access = await standin.token();
    await standin.fault({ method: 'POST', path: '/auth/token/refresh/', status: 200, body: { access }, delay_ms: 3000, times: 1 });
    // The access token expires while the page is open.
    await helper.jwt().fill(await standin.token({ expired: true }));
    await helper.paste(address);
    await expect(helper.callbackBusy()).toBeVisible();
    // The Trakt keys fold asks the backend too: it waits for the renewal on its way.
    await helper.openTraktKeys();
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
    assert.equal(await standin.callbackPosts(), 1);
    // The stand-in does not record a faulted request: the one renewal was the held one.
    assert.deepEqual(await standin.requestsTo('/auth/token/refresh/'), [], 'no second renewal');
    assert.equal(await helper.jwt().inputValue(), access);
  });

  test('a form waiting for the renewal is not sent with the JWT of a user who signed in meanwhile', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.authorizeLink()).toBeVisible();
    await helper.openTraktKeys();
    const access = await standin.token();
    await standin.fault({ method: 'POST', path: '/auth/token/refresh/', status: 200, body: { access }, delay_ms: 3000, times: 1 });
    await helper.jwt().fill(await standin.token({ expired: true }));
    await helper.saveTraktKeys('alice-new-id', 'alice-new-secret');
    // Bob signs in while alice's save waits for her renewal.
    await helper.signIn('bob', 'bob-password');
    await expect(helper.traktKeysProblem()).toContainText('changed while this waited', { timeout: 10_000 });
    const saves = (await standin.stats()).requests.filter((r) => r.method === 'POST' && r.path === '/auth/api-keys/');
    assert.deepEqual(saves, [], 'nothing was saved, to bob or anyone');
  });

  test('a form whose renewal got no answer says so, not that the JWT expired', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.authorizeLink()).toBeVisible();
    await helper.openTraktKeys();
    // Every renewal gets a 503: the fold's own check of the keys may ask one first.
    await standin.fault({ method: 'POST', path: '/auth/token/refresh/', status: 503, body: { detail: 'down' } });
    await helper.jwt().fill(await standin.token({ expired: true }));
    await helper.saveTraktKeys('alice-new-id', 'alice-new-secret');
    await expect(helper.traktKeysProblem()).toContainText('HTTP 503');
    await expect(helper.traktKeysProblem()).not.toContainText('expired');
  });

  test('moving to another backend ends the wait: the status is not left checking', async ({ standin, open }) => {
    const helper = await backExpired(standin, open, { delay_ms: 8000 });
    await expect(helper.status()).toContainText('Checking');
    await helper.backendUrl().fill(`${standin.url}/api`);
    await helper.backendUrl().blur();
    // Long before the old backend's renewal answers.
    await expect(helper.status()).not.toContainText('Checking', { timeout: 3000 });
    await expect(helper.checkStatusButton()).toBeEnabled({ timeout: 3000 });
  });
});

describe('a sign-in at a backend the person has left', () => {
  test('a sign-in still under way at the old backend is dropped when the backend changes', async ({ standin, open, startStandin }) => {
    const other = await startStandin();
    const access = await other.token();
    const refresh = await other.token({ kind: 'refresh' });
    const body = { user: { id: 1, username: 'alice', email: 'a@x' }, access, refresh };
    await other.fault({ method: 'POST', path: '/auth/login/', status: 200, body, delay_ms: 1500, times: 1 });
    const { helper } = await open();
    await helper.backendUrl().fill(other.url);
    await helper.signIn('alice', 'alice-password');
    await helper.page.waitForTimeout(300);
    await helper.backendUrl().fill(standin.url);
    const bob = await standin.token({ user: 'bob' });
    await helper.jwt().fill(bob);
    await helper.page.waitForTimeout(2500);
    assert.equal(await helper.jwt().inputValue(), bob, 'the JWT typed for this backend stays');
    assert.equal(await helper.signInDone().count(), 0);
  });
});
