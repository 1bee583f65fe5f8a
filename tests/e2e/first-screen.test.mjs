// The first screen: the page builds at start only the one thing it opened to do, and the
// other steps a moment later. A returning visitor sees the status first, with step 1's place
// kept so nothing moves when its fields arrive; a slow backend keeps no field from them; a
// new visitor gets the fields first.
import assert from 'node:assert/strict';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

/**
 * Notes, from inside the page and before its own scripts, what is on screen the moment
 * `selector` first matches: `window.firstSeen` (which of `watched` exist, and the status's
 * top edge). A MutationObserver sees each change as it lands, which polling from outside
 * could miss.
 */
function noteFirstSight(page, selector, watched) {
  return page.addInitScript(
    ([selector, watched]) => {
      const observer = new MutationObserver(() => {
        if (!document.querySelector(selector)) return;
        observer.disconnect();
        window.firstSeen = {
          present: watched.filter((query) => document.querySelector(query)),
          statusTop: document.querySelector('[data-testid="status"]')?.getBoundingClientRect().top,
        };
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true });
    },
    [selector, watched],
  );
}

const STEPS = ['[data-testid="connect-coming"]', '#backend-url', '#jwt', '[data-testid="status"]', '#authorize-title'];

/** A second tab of a person who signed in with “Remember on this device” in the first. */
async function returningTab({ standin, open }) {
  const { context, helper } = await open();
  await helper.rememberBox().check();
  await helper.connect({ jwt: await standin.token() });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  return new HelperPage(await context.newPage(), `${standin.url}/`);
}

describe('what the page builds first', () => {
  test('a returning visitor sees the status first; step 1 keeps its place and its fields follow', async ({ standin, open }) => {
    const second = await returningTab({ standin, open });
    await noteFirstSight(second.page, '[data-testid="status"].status.bad, [data-testid="status"].status.good', STEPS);
    await second.open();
    await expect(second.status()).toContainText('Not connected to Trakt.');
    const first = await second.page.evaluate(() => window.firstSeen);
    assert.deepEqual(first.present, ['[data-testid="connect-coming"]', '[data-testid="status"]'], 'only the status, and step 1\'s place');
    // Then the rest, the fields where their place was.
    await expect(second.jwt()).toHaveValue(/^eyJ/);
    await expect(second.page.getByTestId('authorize-link')).toBeVisible();
    await expect(second.page.getByTestId('connect-coming')).toHaveCount(0);
    await expect(second.page.getByText('No JWT at hand?')).toBeVisible();
    const top = await second.status().evaluate((status) => status.getBoundingClientRect().top);
    assert.ok(Math.abs(top - first.statusTop) < 24, `the status stayed where it showed (${first.statusTop} → ${top})`);
  });

  test('a slow backend keeps no field from the person: they come while the status is still asked', async ({ standin, open }) => {
    const second = await returningTab({ standin, open });
    await standin.fault({ path: '/trakt/auth-status/', times: 1, delay_ms: 5_000, status: 503, body: '' });
    await second.open();
    await expect(second.jwt()).toHaveValue(/^eyJ/, { timeout: 2_000 });
    await expect(second.status()).toContainText('Checking the Trakt connection');
    await second.backendUrl().fill(`${standin.url}/api`);
    await expect(second.page.getByTestId('backend-url-hint')).toContainText(`${standin.url}/api/trakt/`);
  });

  test('a new visitor gets the fields first, then the status and authorize steps', async ({ standin, newContext }) => {
    const page = await (await newContext(standin)).newPage();
    await noteFirstSight(page, '#jwt', STEPS);
    const fresh = new HelperPage(page, `${standin.url}/`);
    await fresh.open();
    await expect(fresh.status()).toContainText('Not checked yet');
    await expect(page.locator('#authorize-title')).toBeVisible();
    const first = await page.evaluate(() => window.firstSeen);
    assert.deepEqual(first.present, ['#backend-url', '#jwt'], 'the fields alone at first');
  });
});
