// What the page keeps (the JWT in the tab, or on the device when remembered), and Forget:
// nothing left, nothing under way that writes or asks again, the keyboard back at the start.
import assert from 'node:assert/strict';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

describe('what the page keeps', () => {
  test('settings survive the trip; the JWT stays in the tab unless remembered; Forget clears all', async ({ standin, open }) => {
    const { context, helper } = await open();
    const jwt = await standin.token();
    await helper.connect({ backendUrl: `${standin.url}/`, jwt });
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const stored = await helper.stored();
    // The JWT is kept with the backend that accepted it.
    assert.deepEqual(JSON.parse(stored.session['trakt-helper.jwt']), { token: jwt, backend: standin.url });
    assert.equal(stored.local['trakt-helper.remembered-jwt'], undefined, 'JWT not on the device by default');
    assert.equal(stored.local['trakt-helper.backend-url'], `${standin.url}/`);

    await helper.rememberBox().check();
    await expect
      .poll(async () => JSON.parse(await helper.page.evaluate(() => localStorage.getItem('trakt-helper.remembered-jwt'))))
      .toStrictEqual({ token: jwt, backend: standin.url });
    const second = new HelperPage(await context.newPage(), `${standin.url}/`);
    await second.open();
    await expect(second.jwt()).toHaveValue(jwt);
    await second.page.close();

    await helper.forgetButton().click();
    await expect
      .poll(async () => (await helper.page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)])).sort(), {
        message: 'only the Forget epoch',
      })
      .toStrictEqual(['trakt-helper.forget-epoch', 'trakt-helper.tab-epoch']);
    await expect(helper.jwt()).toHaveValue('');
  });
});

describe('Forget ends what is under way', () => {
  test('Forget wins over a sign-in still under way', async ({ standin, open }) => {
    const access = await standin.token();
    const refresh = await standin.token({ kind: 'refresh' });
    const body = { user: { id: 1, username: 'alice', email: 'a@x' }, access, refresh };
    await standin.fault({ method: 'POST', path: '/auth/login/', status: 200, body, delay_ms: 1500, times: 1 });
    const { helper } = await open();
    await helper.signIn('alice', 'alice-password');
    await helper.forget();
    await helper.page.waitForTimeout(2500);
    assert.deepEqual(await helper.storedBesidesEpoch(), { local: {}, session: {} });
    assert.equal(await helper.jwt().inputValue(), '');
    assert.deepEqual(await standin.traktRequests(), [], 'no status or link asked for after Forget');
  });

  test('Forget ends what is under way: a slow status, link or doctor never writes or asks again', async ({ standin, scope }) => {
    for (const slow of ['/trakt/auth-status/', '/auth/current-user/']) {
      await standin.reset();
      await standin.fault({ method: 'GET', path: slow, status: 200, body: { authenticated: false, id: 1, username: 'alice' }, delay_ms: 1500, times: 1 });
      await scope(async ({ connected }) => {
        const { helper } = await connected();
        if (slow === '/auth/current-user/') await helper.runDoctor();
        await helper.page.waitForTimeout(300);
        await helper.forget();
        const asked = (await standin.authorized()).length;
        await helper.page.waitForTimeout(2500);
        assert.deepEqual(await helper.storedBesidesEpoch(), { local: {}, session: {} }, `nothing written back (${slow})`);
        assert.equal((await standin.authorized()).length, asked, `nothing asked with the old JWT (${slow})`);
      });
    }
  });
});

describe('after Forget', () => {
  test('after Forget the page says so and the keyboard starts again at the Backend URL', async ({ connected }) => {
    const { helper } = await connected();
    await helper.forgetButton().focus();
    await helper.page.keyboard.press('Enter');
    await expect(helper.forgottenNotice()).toContainText('Forgotten');
    await helper.page.waitForFunction(() => document.activeElement?.id === 'backend-url');
    assert.equal(await helper.focusedId(), 'backend-url');
  });
});
