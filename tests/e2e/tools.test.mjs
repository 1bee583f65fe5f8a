// The tools for a connection: refreshing the Trakt token, a sync smoke test, and after a
// failed exchange the code, the state and a curl command to finish from a terminal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { helperSuite } from './support/suite.mjs';
import { textContains } from './support/wait.mjs';

const suite = helperSuite();

describe('the token lifecycle', () => {
  test('refresh the Trakt token and run a sync smoke test', async (t) => {
    await suite.standin.setUser({ user: 'alice', trakt_connected: true });
    const { helper } = await suite.connected(t);
    await textContains(helper.status(), 'Connected');
    await textContains(helper.tokenTools(), 'last about a day');
    await helper.refreshTraktTokenButton().click();
    await textContains(helper.toolResult(), 'Token refreshed: it now expires');
    await helper.testSyncButton().click();
    const result = await textContains(helper.toolResult(), 'Movie sync started in background');
    assert.ok(result.includes('Inception (2010)') && result.includes('Arrival (2016)'), result);
    const paths = (await suite.standin.stats()).requests.map((r) => r.path);
    assert.ok(paths.includes('/trakt/refresh-token/') && paths.includes('/trakt/get-stored-movies/'));
  });

  test('a sync without a Trakt token explains what to do', async (t) => {
    await suite.standin.setUser({ user: 'alice', trakt_connected: true });
    const { helper } = await suite.connected(t);
    await textContains(helper.status(), 'Connected');
    await suite.standin.setUser({ user: 'alice', trakt_connected: false });
    await helper.testSyncButton().click();
    const problem = await textContains(helper.toolProblem(), 'No Trakt token found');
    assert.ok(problem.includes('Authorize on Trakt'), problem);
  });
});

describe('copy buttons and the curl command', () => {
  test('a failed exchange offers the code, the state and a curl command, the JWT only on request', async (t) => {
    await suite.standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 502, body: '', content_type: 'text/html' });
    const { context, helper } = await suite.connected(t);
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
    const out = execFileSync('sh', ['-c', withJwt]).toString();
    assert.match(out, /"success":true/);
  });
});
