// Signing in with a NowPlaying user name and password instead of pasting a JWT: the access
// token fills the JWT field and is renewed with the refresh token, at the backend that issued it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { anotherStandin, helperSuite } from './support/suite.mjs';
import { eventually, textContains } from './support/wait.mjs';

const suite = helperSuite();

describe('sign in instead of pasting a JWT', () => {
  test('the access token fills the JWT field, counts down, and the status follows', async (t) => {
    const { helper } = await suite.open(t);
    await helper.signIn('alice', 'alice-password');
    await textContains(helper.signInDone(), 'Signed in');
    assert.match(await helper.jwt().inputValue(), /^eyJ/);
    const first = await textContains(helper.jwtHint(), 'Access token for alice (user 1), expires in 59:');
    await eventually(async () => assert.notEqual(await helper.jwtHint().textContent(), first));
    await textContains(helper.status(), 'Not connected to Trakt.');
    const stored = await helper.stored();
    // Kept with the backend that issued it, in this tab only.
    assert.match(JSON.parse(stored.session['trakt-helper.refresh-jwt']).token, /^eyJ/);
    assert.equal(JSON.parse(stored.session['trakt-helper.refresh-jwt']).backend, suite.standin.url);
    assert.ok(!JSON.stringify(stored.local).includes('refresh'), 'the refresh token never leaves the tab');
  });

  test('a wrong password and missing fields are shown per field', async (t) => {
    const { helper } = await suite.open(t);
    await helper.signIn('alice', 'wrong');
    await textContains(helper.signInProblem(), 'Invalid credentials');
    await helper.signIn('', '');
    await textContains(helper.userNameError(), 'This field is required.');
    await textContains(helper.passwordError(), 'This field is required.');
    assert.equal(await helper.jwt().inputValue(), '');
  });

  test('an access token that expires mid-flow is renewed with the refresh token', async (t) => {
    const { helper } = await suite.open(t);
    await helper.signIn('alice', 'alice-password');
    await textContains(helper.status(), 'Not connected to Trakt.');
    const expired = await suite.standin.token({ expired: true });
    await helper.jwt().fill(expired);
    await textContains(helper.jwtHint(), 'This JWT has expired.');
    await helper.checkStatusButton().click();
    await textContains(helper.status(), 'Not connected to Trakt.');
    const renewed = await helper.jwt().inputValue();
    assert.notEqual(renewed, expired);
    const refreshes = await suite.standin.requestsTo('/auth/token/refresh/');
    assert.equal(refreshes.length, 1);
  });
});

describe('a sign-in at a backend the person has left', () => {
  const other = anotherStandin();

  test('a sign-in still under way at the old backend is dropped when the backend changes', async (t) => {
    const access = await other.token();
    const refresh = await other.token({ kind: 'refresh' });
    const body = { user: { id: 1, username: 'alice', email: 'a@x' }, access, refresh };
    await other.fault({ method: 'POST', path: '/auth/login/', status: 200, body, delay_ms: 1500, times: 1 });
    const { helper } = await suite.open(t);
    await helper.backendUrl().fill(other.url);
    await helper.signIn('alice', 'alice-password');
    await helper.page.waitForTimeout(300);
    await helper.backendUrl().fill(suite.standin.url);
    const bob = await suite.standin.token({ user: 'bob' });
    await helper.jwt().fill(bob);
    await helper.page.waitForTimeout(2500);
    assert.equal(await helper.jwt().inputValue(), bob, 'the JWT typed for this backend stays');
    assert.equal(await helper.signInDone().count(), 0);
  });
});
