// The status: what the page asks when it opens, and every answer the backend can give (or not
// give) explained in words, with "Check again" to recover.
import assert from 'node:assert/strict';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

describe('requests at page open', () => {
  test('none without settings; the status, then the link only when not connected; no polling', async ({ standin, open }) => {
    const backendRequests = async () => (await standin.calls()).filter((r) => !r.path.includes('.') && r.path !== '/');
    const { helper } = await open();
    await helper.page.waitForTimeout(1500);
    assert.deepEqual(await backendRequests(), [], 'a fresh page asks the backend nothing');
    // But where NowPlaying is: its own origin, and /api on it, once each, without a JWT.
    const discovered = (await standin.discoveries()).map((r) => r.path).sort();
    assert.deepEqual(discovered, ['/api/auth/current-user/', '/auth/current-user/']);

    await helper.jwt().fill(await standin.token());
    const cases = [
      [true, 'Connected', ['GET /trakt/auth-status/']],
      [false, 'Not connected to Trakt.', ['GET /trakt/auth-status/', 'GET /trakt/authenticate/']],
    ];
    for (const [connected, shown, asked] of cases) {
      await standin.reset();
      await standin.setUser({ user: 'alice', trakt_connected: connected });
      await helper.page.reload();
      await expect(helper.status()).toContainText(shown);
      await helper.page.waitForTimeout(2500);
      assert.deepEqual(
        (await backendRequests()).map((r) => `${r.method} ${r.path}`),
        asked,
        `with Trakt ${connected ? '' : 'not '}connected`,
      );
    }
  });
});

describe('answers', () => {
  const statuses = [
    [400, { error: 'Something was wrong with the request' }, 'The backend said no (HTTP 400).'],
    [401, { detail: 'Authentication credentials were not provided.' }, 'refused the JWT'],
    [403, { detail: 'You do not have permission to perform this action.' }, 'The backend said no (HTTP 403).'],
    [404, { detail: 'Not found.' }, 'no such endpoint at this address'],
    [405, { detail: 'Method "GET" not allowed.' }, 'no such endpoint at this address'],
    [415, { detail: 'Unsupported media type "text/plain" in request.' }, 'The backend said no (HTTP 415).'],
    [429, { detail: 'Request was throttled. Expected available in 5 seconds.' }, 'The backend said no (HTTP 429).'],
    [500, { error: 'Unexpected error: boom' }, 'The backend failed (HTTP 500).'],
    [502, '<html><body>Bad Gateway</body></html>', 'The backend failed (HTTP 502) with a web page'],
    [503, '', 'The backend failed (HTTP 503) with an empty answer.'],
  ];
  for (const [status, body, expected] of statuses) {
    test(`HTTP ${status}: explained, with the backend's words, and "Check again" recovers`, async ({ standin, connected }) => {
      const content_type = typeof body === 'string' ? 'text/html' : 'application/json';
      await standin.fault({ path: '/trakt/auth-status/', times: 1, status, body, content_type });
      const { helper } = await connected();
      await expect(helper.statusProblem()).toContainText(expected);
      if (typeof body === 'object') await expect(helper.statusProblem()).toContainText(Object.values(body)[0]);
      await expect(helper.statusProblem()).toContainText('What to do:');
      await helper.checkAgainButton().click();
      await expect(helper.status()).toContainText('Not connected to Trakt.');
      await expect(helper.statusProblem()).toHaveCount(0);
    });
  }

  const bodies = [
    ['an HTML page with status 200', 'text/html', '<html><h1>Welcome to nginx!</h1></html>', 'answers with a web page (HTTP 200), not NowPlaying\'s API'],
    ['an empty body with status 200', 'application/json', '', 'with an empty answer (HTTP 200)'],
    ['JSON of the wrong shape', 'application/json', { authenticated: 'maybe' }, 'is not what this helper expects'],
    ['JSON that is not an object', 'application/json', '[1,2,3]', 'is not what this helper expects'],
  ];
  for (const [name, content_type, body, expected] of bodies) {
    test(`${name}: explained`, async ({ standin, connected }) => {
      await standin.fault({ path: '/trakt/auth-status/', status: 200, body, content_type });
      const { helper } = await connected();
      await expect(helper.statusProblem()).toContainText(expected);
    });
  }

  test('a 5 MB error body is refused unread, said so, and the page stays responsive', async ({ standin, connected }) => {
    const huge = 'A'.repeat(5 * 1024 * 1024);
    await standin.fault({ path: '/trakt/auth-status/', times: 1, status: 400, body: { error: huge } });
    const { helper } = await connected();
    await expect(helper.statusProblem()).toContainText('The answer was not read: longer than 1024 KiB', { timeout: 20_000 });
    const problem = await helper.statusProblem().textContent();
    assert.ok(problem.length < 2_000, `shown ${problem.length} characters`);
    const started = Date.now();
    await helper.checkAgainButton().click();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    assert.ok(Date.now() - started < 5_000, 'the page still answers clicks');
  });

  test('a backend that never answers times out after 15 seconds, with the button back', async ({ standin, connected }) => {
    await standin.fault({ path: '/trakt/auth-status/', times: 1, kind: 'hang' });
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Checking');
    await expect(helper.checkingButton()).toBeDisabled();
    await expect(helper.statusProblem()).toContainText('did not answer within 15 seconds', { timeout: 25_000 });
    await expect(helper.checkStatusButton()).toBeEnabled();
  });

  test('a connected token whose expiry has passed says so instead of "expires … ago"', async ({ standin, connected }) => {
    const expires_at = new Date(Date.now() - 120_000).toISOString();
    await standin.fault({ path: '/trakt/auth-status/', status: 200, body: { authenticated: true, token_expired: false, expires_at } });
    const { helper } = await connected();
    await expect(helper.status()).toContainText('expiry has passed');
    await expect(helper.status()).toContainText(/ago\)/);
  });

  test('an expires_at with an impossible offset is shown as the backend wrote it, not as a date', async ({ standin, connected }) => {
    const expires = '2027-01-01T00:00:00+99:99';
    await standin.fault({ path: '/trakt/auth-status/', status: 200, body: { authenticated: true, token_expired: false, expires_at: expires } });
    const { helper } = await connected();
    await expect(helper.status()).toContainText(`expires ${expires}.`);
    await expect(helper.status()).not.toContainText(/\(in \d+ days?\)/);
  });
});

describe('a backend the page cannot reach', () => {
  test('a backend that is down: unreachable, with the origin to allow', async ({ standin, open, startStandin }) => {
    const { helper } = await open();
    const down = await startStandin();
    const downUrl = down.url;
    await down.stop();
    await helper.connect({ backendUrl: downUrl, jwt: await standin.token() });
    await expect(helper.statusProblem()).toContainText(`Could not reach the backend at ${downUrl}`);
    await expect(helper.statusProblem()).toContainText(`add ${standin.url} to CORS_ALLOWED_ORIGINS`);
  });

  test('a backend that is down and then comes back: "Check again" works', async ({ open, startStandin }) => {
    const secret = 'same-key-after-restart';
    const first = await startStandin(['--secret', secret]);
    const { url } = first;
    const jwt = await first.token();
    await first.stop();
    const { helper } = await open();
    await helper.connect({ backendUrl: url, jwt });
    await expect(helper.statusProblem()).toContainText(`Could not reach the backend at ${url}`);
    await startStandin(['--secret', secret, '--listen', url.replace('http://', '')]);
    await helper.checkAgainButton().click();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
  });

  test('a backend whose CORS settings block this page: the message names the origin to allow', async ({ standin, open, startStandin }) => {
    const strict = await startStandin(['--cors-origin', 'http://127.0.0.1:1']);
    const { helper } = await open(standin, '', { routeTrakt: false });
    await helper.connect({ backendUrl: strict.url, jwt: await strict.token() });
    await expect(helper.statusProblem()).toContainText(`Could not reach the backend at ${strict.url}`);
    await expect(helper.statusProblem()).toContainText(`add ${standin.url} to CORS_ALLOWED_ORIGINS`);
    const reached = await strict.requestsTo('/trakt/auth-status/');
    assert.deepEqual(
      reached.map((r) => r.method),
      ['OPTIONS'],
      'the preflight was refused, so the JWT never left the browser',
    );
  });
});

describe('a status that no longer fits', () => {
  test('another user\'s JWT drops the status and the link shown for the first', async ({ standin, connected }) => {
    const { helper } = await connected();
    await helper.authorizeLink().waitFor();
    await helper.jwt().fill(await standin.token({ user: 'bob' }));
    await expect(helper.status()).toContainText('Not checked yet');
    await expect(helper.authorizeLink()).toHaveCount(0);
  });
});
