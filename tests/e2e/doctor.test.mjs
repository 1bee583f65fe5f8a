// The connection doctor: every check from the backend's address to Trakt, the first failing
// one saying what to fix.
import assert from 'node:assert/strict';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

describe('the connection doctor', () => {
  test('all but the last check pass for a user who has not connected Trakt yet', async ({ connected }) => {
    const { helper } = await connected();
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.equal(lines.length, 7);
    assert.ok(lines[4].includes('Signed in as alice'), lines[4]);
    assert.ok(lines[5].includes('Client ID standin-client-id'), lines[5]);
    assert.ok(lines[6].includes('Trakt is not connected yet'), lines[6]);
  });

  test('the first failing check says what to fix and stops the rest', async ({ connected }) => {
    const { helper } = await connected({ user: 'bob' });
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.ok(lines[5].includes('No Trakt keys are stored'), lines[5]);
    assert.ok(lines[6].includes('not run'), lines[6]);
  });

  test('an expired JWT fails its check before the backend is asked', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.jwt().fill(await standin.token({ expired: true }));
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.ok(lines[2].includes('may read its answers'), lines[2]);
    assert.ok(lines[3].includes('This JWT has expired.'), lines[3]);
    assert.ok(lines.slice(4).every((line) => line.includes('not run')));
  });

  test('signed in here, an expired JWT is renewed before its check, as for any call', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await helper.jwt().fill(await standin.token({ expired: true }));
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.ok(lines[3].startsWith('✓'), lines[3]);
    assert.ok(lines[4].startsWith('✓'), lines[4]);
    assert.equal((await standin.requestsTo('/auth/token/refresh/')).length, 1);
  });

  test('CORS that refuses this page is told apart from a backend that is down', async ({ standin, open, startStandin }) => {
    const strict = await startStandin(['--cors-origin', 'http://127.0.0.1:1']);
    const { helper } = await open(standin, '', { routeTrakt: false });
    await helper.connect({ backendUrl: strict.url, jwt: await strict.token() });
    // Changing the backend's origin reloads the page (its CSP names the backend).
    await expect(helper.statusProblem()).toContainText('Could not reach the backend');
    await helper.runDoctor();
    const lines = await helper.doctorLines();
    assert.ok(lines[1].includes('Something answers'), lines[1]);
    assert.ok(lines[2].includes(`Add ${standin.url} to CORS_ALLOWED_ORIGINS`), lines[2]);
    await strict.stop();
    await helper.runDoctor();
    const down = await helper.doctorLines();
    assert.ok(down[1].includes('Nothing answers'), down[1]);
  });
});
