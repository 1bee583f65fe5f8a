// What the page keeps (the JWT in the tab, or on the device when remembered), and Forget:
// nothing left, nothing under way that writes or asks again, the keyboard back at the start.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HelperPage } from './support/helper-page.mjs';
import { scope } from './support/scope.mjs';
import { helperSuite } from './support/suite.mjs';
import { eventually, textContains } from './support/wait.mjs';

const suite = helperSuite();

describe('what the page keeps', () => {
  test('settings survive the trip; the JWT stays in the tab unless remembered; Forget clears all', async (t) => {
    const { standin } = suite;
    const { context, helper } = await suite.open(t);
    const jwt = await standin.token();
    await helper.connect({ backendUrl: `${standin.url}/`, jwt });
    await textContains(helper.status(), 'Not connected to Trakt.');
    const stored = await helper.stored();
    // The JWT is kept with the backend that accepted it.
    assert.deepEqual(JSON.parse(stored.session['trakt-helper.jwt']), { token: jwt, backend: standin.url });
    assert.equal(stored.local['trakt-helper.remembered-jwt'], undefined, 'JWT not on the device by default');
    assert.equal(stored.local['trakt-helper.backend-url'], `${standin.url}/`);

    await helper.rememberBox().check();
    await eventually(async () => {
      const local = await helper.page.evaluate(() => localStorage.getItem('trakt-helper.remembered-jwt'));
      assert.deepEqual(JSON.parse(local), { token: jwt, backend: standin.url });
    });
    const second = new HelperPage(await context.newPage(), `${standin.url}/`);
    await second.open();
    await eventually(async () => assert.equal(await second.jwt().inputValue(), jwt));
    await second.page.close();

    await helper.forgetButton().click();
    await eventually(async () => {
      const left = await helper.page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]);
      assert.deepEqual(left.sort(), ['trakt-helper.forget-epoch', 'trakt-helper.tab-epoch'], 'only the Forget epoch');
    });
    assert.equal(await helper.jwt().inputValue(), '');
  });
});

describe('Forget ends what is under way', () => {
  test('Forget wins over a sign-in still under way', async (t) => {
    const access = await suite.standin.token();
    const refresh = await suite.standin.token({ kind: 'refresh' });
    const body = { user: { id: 1, username: 'alice', email: 'a@x' }, access, refresh };
    await suite.standin.fault({ method: 'POST', path: '/auth/login/', status: 200, body, delay_ms: 1500, times: 1 });
    const { helper } = await suite.open(t);
    await helper.signIn('alice', 'alice-password');
    await helper.forget();
    await helper.page.waitForTimeout(2500);
    assert.deepEqual(await helper.storedBesidesEpoch(), { local: {}, session: {} });
    assert.equal(await helper.jwt().inputValue(), '');
    assert.deepEqual(await suite.traktRequests(), [], 'no status or link asked for after Forget');
  });

  test('Forget ends what is under way: a slow status, link or doctor never writes or asks again', async () => {
    for (const slow of ['/trakt/auth-status/', '/auth/current-user/']) {
      await suite.standin.reset();
      await suite.standin.fault({ method: 'GET', path: slow, status: 200, body: { authenticated: false, id: 1, username: 'alice' }, delay_ms: 1500, times: 1 });
      await scope(async (owner) => {
        const { helper } = await suite.connected(owner);
        if (slow === '/auth/current-user/') await helper.runDoctor();
        await helper.page.waitForTimeout(300);
        await helper.forget();
        const asked = (await suite.standin.authorized()).length;
        await helper.page.waitForTimeout(2500);
        assert.deepEqual(await helper.storedBesidesEpoch(), { local: {}, session: {} }, `nothing written back (${slow})`);
        assert.equal((await suite.standin.authorized()).length, asked, `nothing asked with the old JWT (${slow})`);
      });
    }
  });
});

describe('after Forget', () => {
  test('after Forget the page says so and the keyboard starts again at the Backend URL', async (t) => {
    const { helper } = await suite.connected(t);
    await helper.forgetButton().focus();
    await helper.page.keyboard.press('Enter');
    await textContains(helper.forgottenNotice(), 'Forgotten');
    await helper.page.waitForFunction(() => document.activeElement?.id === 'backend-url');
    assert.equal(await helper.focusedId(), 'backend-url');
  });
});
