// Beyond the guide: every setup step doable from the page, against the stand-in.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStandin } from './support/standin.mjs';
import { helperSuite } from './support/suite.mjs';
import { eventually, textContains } from './support/wait.mjs';

const suite = helperSuite();

async function connected(options = {}) {
  const { context, helper } = await suite.open();
  await helper.connect({ jwt: await suite.standin.token(options) });
  return { context, helper };
}

describe('1. sign in instead of pasting a JWT', () => {
  test('the access token fills the JWT field, counts down, and the status follows', async () => {
    const { context, helper } = await suite.open();
    await helper.signIn('alice', 'alice-password');
    await textContains(helper.signInDone(), 'Signed in');
    assert.match(await helper.jwt().inputValue(), /^eyJ/);
    const first = await textContains(helper.jwtHint(), 'Access token for alice (user 1), expires in 59:');
    await eventually(async () => assert.notEqual(await helper.jwtHint().textContent(), first));
    await textContains(helper.status(), 'Not connected to Trakt.');
    const stored = await helper.page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
    // Kept with the backend that issued it, in this tab only.
    assert.match(JSON.parse(stored.session['trakt-helper.refresh-jwt']).token, /^eyJ/);
    assert.equal(JSON.parse(stored.session['trakt-helper.refresh-jwt']).backend, suite.standin.url);
    assert.ok(!JSON.stringify(stored.local).includes('refresh'), 'the refresh token never leaves the tab');
    await context.close();
  });

  test('a wrong password and missing fields are shown per field', async () => {
    const { context, helper } = await suite.open();
    await helper.signIn('alice', 'wrong');
    await textContains(helper.signInProblem(), 'Invalid credentials');
    await helper.signIn('', '');
    await textContains(helper.userNameError(), 'This field is required.');
    await textContains(helper.passwordError(), 'This field is required.');
    assert.equal(await helper.jwt().inputValue(), '');
    await context.close();
  });

  test('an access token that expires mid-flow is renewed with the refresh token', async () => {
    const { context, helper } = await suite.open();
    await helper.signIn('alice', 'alice-password');
    await textContains(helper.status(), 'Not connected to Trakt.');
    const expired = await suite.standin.token({ expired: true });
    await helper.jwt().fill(expired);
    await textContains(helper.jwtHint(), 'This JWT has expired.');
    await helper.checkStatusButton().click();
    await textContains(helper.status(), 'Not connected to Trakt.');
    const renewed = await helper.jwt().inputValue();
    assert.notEqual(renewed, expired);
    const refreshes = (await suite.standin.stats()).requests.filter((r) => r.path === '/auth/token/refresh/');
    assert.equal(refreshes.length, 1);
    await context.close();
  });
});

describe('2. Trakt credentials without a Django shell', () => {
  test('when the backend has none, the form opens, saves them, and the flow goes on', async () => {
    const { context, helper } = await connected({ user: 'bob' });
    await textContains(helper.authorizeProblem(), 'No Trakt API key found');
    await textContains(helper.traktKeyStatus(), 'None stored yet');
    const secret = 'bob-very-secret-value';
    await helper.saveTraktCredentials('bob-client-id', secret);
    await textContains(helper.traktKeySaved(), 'Saved');
    await helper.authorizeLink().waitFor();
    await textContains(helper.traktKeyStatus(), 'Client ID bob-client-id');
    assert.equal(await helper.clientSecret().inputValue(), '', 'the secret field is cleared');
    const everything = await helper.page.evaluate(() => document.documentElement.outerHTML + JSON.stringify({ ...localStorage, ...sessionStorage }));
    assert.ok(!everything.includes(secret), 'the secret is never shown or stored');
    await helper.authorize();
    await textContains(helper.callbackResult(), 'Trakt is connected.');
    await context.close();
  });

  test('a missing Client Secret is shown on its field', async () => {
    const { context, helper } = await connected({ user: 'bob' });
    await textContains(helper.authorizeProblem(), 'No Trakt API key found');
    await helper.saveTraktCredentials('bob-client-id', '');
    await textContains(helper.traktKeyProblem(), 'api_key: This field is required.');
    await context.close();
  });
});

describe('3 and 4. when Trakt redirects elsewhere: the doctor, and pasting', () => {
  test('the redirect doctor marks the first difference; the pasted address and a bare code complete the flow', async () => {
    // Learn a free port first: the redirect URI has to name the backend's own address.
    const elsewhere = await startStandin();
    await elsewhere.stop();
    // The backend's own callback page as the redirect URI, as in a default NowPlaying setup.
    const backend = await startStandin(['--listen', elsewhere.url.replace('http://', ''), '--redirect-uri', `${elsewhere.url}/trakt/oauth-callback/`]);
    try {
      const { context, helper } = await suite.open(backend);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: backend.url });
      await helper.connect({ jwt: await backend.token() });
      await helper.authorizeLink().waitFor();
      await helper.redirectDoctorToggle().click();
      const line = await textContains(helper.doctorBackend(), 'differs in path');
      assert.ok(line.includes(`${backend.url}/trakt/oauth-callback/`));
      assert.equal(await helper.doctorBackend().locator('mark').textContent(), 't');
      await helper.copyRedirectUri().click();
      assert.equal(await helper.clipboard(), `${backend.url}/`);

      await helper.authorizeLink().click();
      await helper.approveOnTrakt().click();
      await helper.backendCallbackPage().waitFor();
      const landed = helper.page.url();
      assert.ok(landed.startsWith(`${backend.url}/trakt/oauth-callback/?code=`));
      await helper.page.goBack();
      await helper.page.goBack();
      await helper.heading().waitFor();
      await helper.paste(landed);
      await textContains(helper.callbackResult(), 'Trakt is connected.');
      assert.equal((await backend.stats()).callback_posts, 1);

      // Once more with the bare code, which goes with this tab's pending state.
      await helper.authorizeAgainButton().click();
      await helper.authorizeLink().click();
      await helper.approveOnTrakt().click();
      await helper.backendCallbackPage().waitFor();
      const code = new URL(helper.page.url()).searchParams.get('code');
      await helper.page.goBack();
      await helper.page.goBack();
      await helper.heading().waitFor();
      await helper.paste(code);
      await textContains(helper.callbackResult(), 'Trakt is connected.');
      assert.equal((await backend.stats()).callback_posts, 2);
      await context.close();
    } finally {
      await backend.stop();
    }
  });

  test('pasting something that is not a return explains what to paste', async () => {
    const { context, helper } = await connected();
    await helper.paste('http://127.0.0.1:8000/trakt/oauth-callback/');
    await textContains(helper.callbackProblem(), 'carries no code');
    await helper.paste('<script>alert(1)</script>');
    await textContains(helper.callbackProblem(), 'not a code or an address from Trakt');
    assert.equal(await suite.callbackPosts(), 0);
    await context.close();
  });
});

describe('5. the connection doctor', () => {
  test('all but the last check pass for a user who has not connected Trakt yet', async () => {
    const { context, helper } = await connected();
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.equal(lines.length, 7);
    assert.ok(lines[4].includes('Signed in as alice'), lines[4]);
    assert.ok(lines[5].includes('Client ID standin-client-id'), lines[5]);
    assert.ok(lines[6].includes('Trakt is not connected yet'), lines[6]);
    await context.close();
  });

  test('the first failing check says what to fix and stops the rest', async () => {
    const { context, helper } = await connected({ user: 'bob' });
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.ok(lines[5].includes('No Trakt credentials are stored'), lines[5]);
    assert.ok(lines[6].includes('not run'), lines[6]);
    await context.close();
  });

  test('an expired JWT fails its check before the backend is asked', async () => {
    const { context, helper } = await suite.open();
    await helper.jwt().fill(await suite.standin.token({ expired: true }));
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.ok(lines[2].includes('may read its answers'), lines[2]);
    assert.ok(lines[3].includes('This JWT has expired.'), lines[3]);
    assert.ok(lines.slice(4).every((line) => line.includes('not run')));
    await context.close();
  });

  test('CORS that refuses this page is told apart from a backend that is down', async () => {
    const strict = await startStandin(['--cors-origin', 'http://127.0.0.1:1']);
    try {
      const { context, helper } = await suite.open(suite.standin, '', { routeTrakt: false });
      await helper.connect({ backendUrl: strict.url, jwt: await strict.token() });
      // Changing the backend's origin reloads the page (its CSP names the backend).
      await textContains(helper.statusProblem(), 'Could not reach the backend');
      await helper.runDoctor();
      const lines = await helper.doctorLines();
      assert.ok(lines[1].includes('Something answers'), lines[1]);
      assert.ok(lines[2].includes(`Add ${suite.standin.url} to CORS_ALLOWED_ORIGINS`), lines[2]);
      await strict.stop();
      await helper.runDoctor();
      const down = await helper.doctorLines();
      assert.ok(down[1].includes('Nothing answers'), down[1]);
      await context.close();
    } finally {
      await strict.stop();
    }
  });
});

describe('6. the token lifecycle', () => {
  test('refresh the Trakt token and run a sync smoke test', async () => {
    await suite.standin.setUser({ user: 'alice', trakt_connected: true });
    const { context, helper } = await connected();
    await textContains(helper.status(), 'Connected');
    await textContains(helper.tokenTools(), 'last about a day');
    await helper.refreshTraktTokenButton().click();
    await textContains(helper.toolResult(), 'Token refreshed: it now expires');
    await helper.testSyncButton().click();
    const result = await textContains(helper.toolResult(), 'Movie sync started in background');
    assert.ok(result.includes('Inception (2010)') && result.includes('Arrival (2016)'), result);
    const paths = (await suite.standin.stats()).requests.map((r) => r.path);
    assert.ok(paths.includes('/trakt/refresh-token/') && paths.includes('/trakt/get-stored-movies/'));
    await context.close();
  });

  test('a sync without a Trakt token explains what to do', async () => {
    await suite.standin.setUser({ user: 'alice', trakt_connected: true });
    const { context, helper } = await connected();
    await textContains(helper.status(), 'Connected');
    await suite.standin.setUser({ user: 'alice', trakt_connected: false });
    await helper.testSyncButton().click();
    const problem = await textContains(helper.toolProblem(), 'No Trakt token found');
    assert.ok(problem.includes('Authorize on Trakt'), problem);
    await context.close();
  });
});

describe('7. the error decoder', () => {
  const messages = [
    ['The redirect uri included is not valid.', 'Redirect URI exactly'],
    ['invalid_client: Client authentication failed due to unknown client.', 'refused the Client ID or Client Secret'],
    ['Trakt API credentials not found', 'Client ID and Client Secret'],
  ];
  for (const [message, step] of messages) {
    test(`“${message}” gets its next step`, async () => {
      await suite.standin.fault({ path: '/trakt/authenticate/', status: 400, body: { error: message } });
      const { context, helper } = await connected();
      const problem = await textContains(helper.authorizeProblem(), message);
      assert.ok(problem.includes(step), problem);
      await context.close();
    });
  }
});

describe('8. copy buttons and the curl command', () => {
  test('a failed exchange offers the code, the state and a curl command, the JWT only on request', async () => {
    await suite.standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 502, body: '', content_type: 'text/html' });
    const { context, helper } = await connected();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.standin.url });
    const jwt = await helper.jwt().inputValue();
    await helper.authorize();
    await textContains(helper.callbackProblem(), 'HTTP 502');
    await helper.finishByHandToggle().click();
    const code = await helper.sentCode().textContent();
    assert.match(code, /^[0-9a-f]{64}$/);
    await helper.copyCode().click();
    assert.equal(await helper.clipboard(), code);
    await helper.copyState().click();
    assert.equal(await helper.clipboard(), '1');
    const command = await helper.curlCommand().textContent();
    assert.ok(command.includes('$NOWPLAYING_JWT') && !command.includes(jwt), command);
    await helper.jwtInCommandBox().check();
    await helper.copyCurl().click();
    const withJwt = await helper.clipboard();
    assert.ok(withJwt.includes(`Authorization: Bearer ${jwt}`), withJwt);

    // The command really finishes the exchange.
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync('sh', ['-c', withJwt]).toString();
    assert.match(out, /"success":true/);
    await context.close();
  });
});
