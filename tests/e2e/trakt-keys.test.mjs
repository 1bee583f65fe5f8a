// Trakt keys (the Client ID and Client Secret of the person's Trakt application), stored at
// the backend from the page, without a Django shell.
import assert from 'node:assert/strict';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

describe('Trakt keys without a Django shell', () => {
  test('a backend without Trakt keys says how to add them', async ({ connected }) => {
    const { helper } = await connected({ user: 'bob' });
    await expect(helper.authorizeProblem()).toContainText('No Trakt API key found');
    await expect(helper.authorizeProblem()).toContainText('Client ID and Client Secret');
    await expect(helper.authorizeLink()).toHaveCount(0);
  });

  test('when the backend has none, the form opens, saves them, and the flow goes on', async ({ connected }) => {
    const { helper } = await connected({ user: 'bob' });
    await expect(helper.authorizeProblem()).toContainText('No Trakt API key found');
    await expect(helper.traktKeysStatus()).toContainText('None stored yet');
    const secret = 'bob-very-secret-value';
    await helper.saveTraktKeys('bob-client-id', secret);
    await expect(helper.traktKeysSaved()).toContainText('Saved');
    await helper.authorizeLink().waitFor();
    await expect(helper.traktKeysSaved(), 'the link is there: nothing is still being got').toHaveText('Saved.');
    await expect(helper.traktKeysStatus()).toContainText('Client ID bob-client-id');
    await expect(helper.clientSecret(), 'the secret field is cleared').toHaveValue('');
    const everything = await helper.page.evaluate(() => document.documentElement.outerHTML + JSON.stringify({ ...localStorage, ...sessionStorage }));
    assert.ok(!everything.includes(secret), 'the secret is never shown or stored');
    await helper.authorize();
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
  });

  test('a missing Client Secret is shown on its field', async ({ connected }) => {
    const { helper } = await connected({ user: 'bob' });
    await expect(helper.authorizeProblem()).toContainText('No Trakt API key found');
    await helper.saveTraktKeys('bob-client-id', '');
    await expect(helper.traktKeysProblem()).toContainText('api_key: This field is required.');
  });

  test('a Trakt keys form opened by hand stays open through a status check', async ({ connected }) => {
    const { helper } = await connected();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await helper.openTraktKeys();
    await helper.clientId().fill('typed-while-checking');
    await helper.checkAgainButton().click();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await helper.authorizeLink().waitFor();
    assert.equal(await helper.traktKeysForm().evaluate((details) => details.open), true);
    await expect(helper.clientId()).toHaveValue('typed-while-checking');
  });
});
