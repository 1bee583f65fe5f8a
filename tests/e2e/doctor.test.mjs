// The connection doctor: every check from the backend's address to Trakt, the first failing
// one saying what to fix.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStandinFor } from './support/standin.mjs';
import { helperSuite } from './support/suite.mjs';
import { textContains } from './support/wait.mjs';

const suite = helperSuite();

describe('the connection doctor', () => {
  test('all but the last check pass for a user who has not connected Trakt yet', async (t) => {
    const { helper } = await suite.connected(t);
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.equal(lines.length, 7);
    assert.ok(lines[4].includes('Signed in as alice'), lines[4]);
    assert.ok(lines[5].includes('Client ID standin-client-id'), lines[5]);
    assert.ok(lines[6].includes('Trakt is not connected yet'), lines[6]);
  });

  test('the first failing check says what to fix and stops the rest', async (t) => {
    const { helper } = await suite.connected(t, { user: 'bob' });
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.ok(lines[5].includes('No Trakt credentials are stored'), lines[5]);
    assert.ok(lines[6].includes('not run'), lines[6]);
  });

  test('an expired JWT fails its check before the backend is asked', async (t) => {
    const { helper } = await suite.open(t);
    await helper.jwt().fill(await suite.standin.token({ expired: true }));
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.ok(lines[2].includes('may read its answers'), lines[2]);
    assert.ok(lines[3].includes('This JWT has expired.'), lines[3]);
    assert.ok(lines.slice(4).every((line) => line.includes('not run')));
  });

  test('CORS that refuses this page is told apart from a backend that is down', async (t) => {
    const strict = await startStandinFor(t, ['--cors-origin', 'http://127.0.0.1:1']);
    const { helper } = await suite.open(t, suite.standin, '', { routeTrakt: false });
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
  });
});
