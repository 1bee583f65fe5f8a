// The tools for a connection: refreshing the Trakt token, a sync smoke test, and after a
// failed callback the code, the state and a curl command to finish from a terminal.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

describe('the token lifecycle', () => {
  test('refresh the Trakt token and run a sync smoke test', async ({ standin, connected }) => {
    await standin.setUser({ user: 'alice', trakt_connected: true });
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Connected');
    await expect(helper.tokenTools()).toContainText('last about a day');
    await helper.refreshTraktTokenButton().click();
    await expect(helper.toolResult()).toContainText('Token refreshed: it now expires');
    await helper.testSyncButton().click();
    await expect(helper.toolResult()).toContainText('Movie sync started in background');
    await expect(helper.toolResult()).toContainText('Inception (2010)');
    await expect(helper.toolResult()).toContainText('Arrival (2016)');
    const paths = (await standin.stats()).requests.map((r) => r.path);
    assert.ok(paths.includes('/trakt/refresh-token/') && paths.includes('/trakt/get-stored-movies/'));
  });

  test('a sync without a Trakt token explains what to do', async ({ standin, connected }) => {
    await standin.setUser({ user: 'alice', trakt_connected: true });
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Connected');
    await standin.setUser({ user: 'alice', trakt_connected: false });
    await helper.testSyncButton().click();
    await expect(helper.toolProblem()).toContainText('No Trakt token found');
    await expect(helper.toolProblem()).toContainText('Authorize on Trakt');
  });
});

describe('copy buttons and the curl command', () => {
  test('a failed callback offers the code, the state and a curl command, the JWT only on request', async ({ standin, connected }) => {
    await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 502, body: '', content_type: 'text/html' });
    const { context, helper } = await connected();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: standin.url });
    const jwt = await helper.jwt().inputValue();
    await helper.authorize();
    await expect(helper.callbackProblem()).toContainText('HTTP 502');
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

    // The command really sends the callback.
    const out = execFileSync('sh', ['-c', withJwt]).toString();
    assert.match(out, /"success":true/);
  });
});
