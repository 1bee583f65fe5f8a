// Hosting: the release dist/ works unchanged under a path prefix on any static server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStandin } from './support/standin.mjs';
import { launchBrowser, newContext } from './support/browser.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { textContains } from './support/wait.mjs';

const prefix = '/static/trakt-helper/';
let browser;
let standin;

before(async () => {
  browser = await launchBrowser();
  standin = await startStandin(['--static-prefix', prefix]);
});

after(async () => {
  await browser?.close();
  await standin?.stop();
});

test('served under /static/trakt-helper/, the whole flow completes and comes back there', async () => {
  const context = await newContext(browser, standin);
  const page = await context.newPage();
  const failed = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  const helper = new HelperPage(page, `${standin.url}${prefix}`);
  await helper.open();
  assert.equal(await helper.backendUrl().inputValue(), standin.url, 'the API is at the origin, not under the prefix');
  await helper.connect({ jwt: await standin.token() });
  await helper.getLink();
  await textContains(helper.redirectCheck(), 'Trakt will send you back to this page');
  await helper.authorize();
  await textContains(helper.callbackResult(), 'Trakt is connected.');
  assert.equal(helper.address(), `${standin.url}${prefix}`);
  assert.deepEqual(failed, [], 'every asset loaded from under the prefix');
  const root = await fetch(`${standin.url}/index.html`);
  assert.equal(root.status, 404, 'nothing is served outside the prefix');
  await context.close();
});
