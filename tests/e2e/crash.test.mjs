// A crash, even one that leaves the wasm dead, shows a notice in fixed words instead of a
// dead page, with a way out that clears what the page stored.
import assert from 'node:assert/strict';
import { rebuildWith, trappingMainWasm } from './support/dist-files.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

/**
 * Makes the browser's clock throw inside the page's code (its countdowns read it every
 * second). Whatever the page is given from outside it reads with `catch` (a language Intl
 * refuses, a storage that says no), so a broken browser is what is left to crash it.
 */
function breakClock(helper) {
  return helper.page.evaluate(() => {
    Date.now = () => {
      throw new Error('broken clock');
    };
  });
}

describe('a crash in the page\'s code', () => {
  test('a crash shows a visible "reload" notice instead of a dead page', async ({ standin, open }) => {
    const { helper } = await open();
    await breakClock(helper);
    const jwt = await standin.token();
    await standin.setUser({ user: 'alice', trakt_connected: true });
    await helper.connect({ jwt });
    await expect(helper.crashNotice()).toContainText('Reload the page to start again');
  });

  test('the crash notice offers a way out that clears what the page stored', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.rememberBox().check();
    await helper.jwt().fill(await standin.token());
    await breakClock(helper);
    await standin.setUser({ user: 'alice', trakt_connected: true });
    await helper.checkStatusButton().click();
    await helper.crashForget().click();
    await helper.page.waitForLoadState();
    await helper.jwt().waitFor();
    assert.deepEqual(await helper.stored(), { local: {}, session: {} });
    await expect(helper.jwt()).toHaveValue('');
  });

  test('an error or a rejected promise left to the page shows the crash notice, in fixed words', async ({ scope }) => {
    for (const fail of [
      () => setTimeout(() => {
        throw new Error('<img src=x data-testid=injected>');
      }),
      () => {
        Promise.reject(new Error('<img src=x data-testid=injected>'));
      },
    ]) {
      await scope(async ({ open }) => {
        const { helper } = await open();
        await helper.backendUrl().waitFor();
        await helper.page.evaluate(fail);
        await expect(helper.crashNotice()).toContainText('Reload the page to start again');
        await expect(helper.crashNotice()).not.toContainText('img');
        await expect(helper.page.getByTestId('injected')).toHaveCount(0);
        await helper.crashForget().waitFor();
      });
    }
  });
});

describe('what is not a crash', () => {
  test('errors that are not the page\'s failure show no crash notice, and the page goes on', async ({ standin, open }) => {
    const { helper } = await open();
    await helper.backendUrl().waitFor();
    await helper.page.evaluate(async () => {
      // A script's made-up error event, rejections without an error or of an aborted
      // request, and ResizeObserver's loop notice (a box that grows each time it is seen).
      dispatchEvent(new ErrorEvent('error', { message: 'made up' }));
      Promise.reject();
      Promise.reject('a string');
      fetch(location.href, { signal: AbortSignal.abort() });
      const box = document.body.appendChild(document.createElement('div'));
      let width = 1;
      new ResizeObserver(() => {
        width += 1;
        box.style.width = `${width}px`;
      }).observe(box);
      await new Promise((done) => setTimeout(done, 300));
      box.remove();
    });
    await helper.connect({ jwt: await standin.token() });
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await expect(helper.crashNotice()).toHaveCount(0);
  });
});

describe('a crash as the page starts', () => {
  test('a wasm that traps as it starts: the notice shows, and its button forgets all but the claims', async ({ copyOfDist, startStandin, newContext }) => {
    const served = await copyOfDist('dist-trapping-');
    const { main, bytes } = await trappingMainWasm(served);
    await rebuildWith(served, main, bytes);
    const standin = await startStandin(['--static', served]);
    const context = await newContext(standin);
    const page = await context.newPage();
    const helper = new HelperPage(page, `${standin.url}/`);
    // What a page of this origin stored, put there before the page opens.
    await page.goto(`${standin.url}/not-the-helper`);
    await page.evaluate(() => {
      localStorage.setItem('trakt-helper.remembered-jwt', 'a.b.c');
      localStorage.setItem('trakt-helper.backend-url', 'http://127.0.0.1:1');
      localStorage.setItem('trakt-helper.claim.0123456789abcdef', '1');
      localStorage.setItem('another-app.setting', 'kept');
      sessionStorage.setItem('trakt-helper.jwt', 'a.b.c');
      sessionStorage.setItem('trakt-helper.claim.fedcba9876543210', '1');
    });
    await page.goto(helper.url);
    await expect(helper.crashNotice()).toContainText('Reload the page to start again');
    assert.ok(helper.console.some((line) => /unreachable/i.test(line)), helper.console.join('\n'));
    await expect(helper.startingNotice(), 'the notice takes the place of “Starting…”').toHaveCount(0);
    await expect(helper.backendUrl(), 'nothing of the helper runs').toHaveCount(0);

    await Promise.all([page.waitForEvent('load'), helper.crashForget().click()]);
    await helper.crashNotice().waitFor();
    assert.deepEqual(await helper.stored(), {
      local: { 'trakt-helper.claim.0123456789abcdef': '1', 'another-app.setting': 'kept' },
      session: { 'trakt-helper.claim.fedcba9876543210': '1' },
    });
  });
});
