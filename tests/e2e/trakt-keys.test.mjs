// Trakt keys (the Client ID and Client Secret of the person's Trakt application), stored at
// the backend from the page, without a Django shell.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { helperSuite } from './support/suite.mjs';
import { textContains } from './support/wait.mjs';

const suite = helperSuite();

describe('Trakt keys without a Django shell', () => {
  test('a backend without Trakt credentials says how to add them', async (t) => {
    const { helper } = await suite.connected(t, { user: 'bob' });
    const problem = await textContains(helper.authorizeProblem(), 'No Trakt API key found');
    assert.ok(problem.includes('Client ID and Client Secret'));
    assert.equal(await helper.authorizeLink().count(), 0);
  });

  test('when the backend has none, the form opens, saves them, and the flow goes on', async (t) => {
    const { helper } = await suite.connected(t, { user: 'bob' });
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
  });

  test('a missing Client Secret is shown on its field', async (t) => {
    const { helper } = await suite.connected(t, { user: 'bob' });
    await textContains(helper.authorizeProblem(), 'No Trakt API key found');
    await helper.saveTraktCredentials('bob-client-id', '');
    await textContains(helper.traktKeyProblem(), 'api_key: This field is required.');
  });

  test('a credentials form opened by hand stays open through a status check', async (t) => {
    const { helper } = await suite.connected(t);
    await textContains(helper.status(), 'Not connected to Trakt.');
    await helper.openCredentials();
    await helper.clientId().fill('typed-while-checking');
    await helper.checkAgainButton().click();
    await textContains(helper.status(), 'Not connected to Trakt.');
    await helper.authorizeLink().waitFor();
    assert.equal(await helper.credentialsForm().evaluate((details) => details.open), true);
    assert.equal(await helper.clientId().inputValue(), 'typed-while-checking');
  });
});
