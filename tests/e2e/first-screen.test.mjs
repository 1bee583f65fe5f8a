// The first screen: the page builds at start only the one thing it opened to do, and the
// other steps a moment later. A returning visitor sees the status first, with step 1's place
// kept so nothing moves when its fields arrive; a slow backend keeps no field from them; a
// new visitor gets the fields first.
import assert from 'node:assert/strict';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;
const { selectors } = HelperPage;

/**
 * Notes, from inside the page and before its own scripts, what is on screen the moment
 * `selector` first matches (`window.firstSeen.present`: which of `watched` exist), and from
 * then on every place the status's top edge takes (`window.firstSeen.statusTops`). A
 * MutationObserver sees each change as it lands, which polling from outside could miss.
 */
function noteFirstSight(page, selector, watched) {
  return page.addInitScript(
    ([selector, watched, status]) => {
      const observer = new MutationObserver(() => {
        const top = document.querySelector(status)?.getBoundingClientRect().top;
        if (window.firstSeen) {
          if (top !== undefined && top !== window.firstSeen.statusTops.at(-1)) window.firstSeen.statusTops.push(top);
          return;
        }
        if (!document.querySelector(selector)) return;
        window.firstSeen = {
          present: watched.filter((query) => document.querySelector(query)),
          statusTops: top === undefined ? [] : [top],
        };
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    },
    [selector, watched, selectors.status],
  );
}

const STEPS = [selectors.connectComing, selectors.backendUrl, selectors.jwt, selectors.status, selectors.authorizeStep];

/** A second tab of a person who signed in with “Remember on this device” in the first. */
async function returningTab({ standin, open }) {
  const { context, helper } = await open();
  await helper.rememberBox().check();
  await helper.connect({ jwt: await standin.token() });
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  return new HelperPage(await context.newPage(), `${standin.url}/`);
}

describe('what the page builds first', () => {
  for (const width of [1280, 420, 400, 390, 360, 320]) {
    test(`a returning visitor sees the status first; step 1 keeps its place and its fields follow (${width} px wide)`, async ({ standin, open }) => {
      const second = await returningTab({ standin, open });
      await second.page.setViewportSize({ width, height: 900 });
      await noteFirstSight(second.page, selectors.statusAnswered, STEPS);
      await second.open();
      await expect(second.status()).toContainText('Not connected to Trakt.');
      const { present } = await second.page.evaluate(() => window.firstSeen);
      assert.deepEqual(present, [selectors.connectComing, selectors.status], 'only the status, and step 1\'s place');
      // Then the rest, the fields where their place was, and every part filled in.
      await expect(second.jwt()).toHaveValue(/^eyJ/);
      await expect(second.authorizeLink()).toBeVisible();
      await expect(second.connectComing()).toHaveCount(0);
      await expect(second.page.getByText('No JWT at hand?')).toBeVisible();
      await expect(second.runDoctorButton()).toBeVisible();
      const { statusTops } = await second.page.evaluate(() => window.firstSeen);
      const moved = Math.max(...statusTops.map((top) => Math.abs(top - statusTops[0])));
      assert.ok(moved < 24, `the status stayed where it showed, within a line: ${statusTops.join(' → ')}`);
    });
  }

  test('the page shows with the status already answered: no frame of “Checking…” first', async ({ standin, open }) => {
    const second = await returningTab({ standin, open });
    // From inside the page: the status's text in each frame it is in, as the frame is drawn.
    await second.page.addInitScript((status) => {
      const texts = (window.statusFrames = []);
      const everyFrame = () =>
        requestAnimationFrame(() => {
          const shown = document.querySelector(status);
          if (shown) texts.push(shown.textContent);
          if (texts.length < 3) everyFrame();
        });
      everyFrame();
    }, selectors.status);
    await second.open();
    await expect(second.status()).toContainText('Not connected to Trakt.');
    const [first] = await second.page.evaluate(() => window.statusFrames);
    assert.match(first, /Not connected to Trakt/, 'the first frame with the page has the answer');
  });

  test('a return shows its outcome without waiting for the status checked after it', async ({ standin, connected }) => {
    const { helper } = await connected();
    // From inside the returned page: the outcome's and the status's text in each frame
    // that has the outcome, as the frame is drawn.
    await helper.page.addInitScript(([result, status]) => {
      if (!location.search.includes('code=')) return;
      const frames = (window.returnFrames = []);
      const everyFrame = () =>
        requestAnimationFrame(() => {
          const shown = document.querySelector(result);
          if (shown) frames.push({ result: shown.textContent, status: document.querySelector(status)?.textContent ?? '' });
          if (frames.length < 3) everyFrame();
        });
      everyFrame();
    }, [selectors.callbackResult, selectors.status]);
    // The status the page checks after the callback answers 80 ms after it.
    const connectedStatus = { authenticated: true, token_expired: false, expires_at: '2030-01-01T00:00:00Z' };
    await standin.fault({ path: '/trakt/auth-status/', times: 1, delay_ms: 80, status: 200, body: connectedStatus });
    await helper.authorize();
    await expect(helper.status()).toContainText('Connected');
    const [first] = await helper.page.evaluate(() => window.returnFrames);
    assert.match(first.result, /Trakt is connected/, 'the first frame with the page has the outcome');
    assert.match(first.status, /Checking the Trakt connection/, 'and the status still on its way');
  });

  test('the status is painted before the rest of the page is built', async ({ standin, open }) => {
    const second = await returningTab({ standin, open });
    // From inside the page, in the order they happened (a count, not a clock, so no two
    // are ever equal): when the status showed and when step 1's fields came, and for each
    // frame, when its animation frame ran and when the task queued there ran, which is
    // after that frame's paint.
    await second.page.addInitScript(
      ([status, rest]) => {
        let order = 0;
        const seen = (window.painting = { frames: [] });
        const everyFrame = () =>
          requestAnimationFrame(() => {
            const frame = { at: ++order };
            seen.frames.push(frame);
            setTimeout(() => (frame.paintedBy = ++order));
            everyFrame();
          });
        everyFrame();
        new MutationObserver(() => {
          if (seen.status === undefined && document.querySelector(status)) seen.status = ++order;
          if (seen.rest === undefined && document.querySelector(rest)) seen.rest = ++order;
        }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      },
      [selectors.statusAnswered, selectors.jwt],
    );
    await second.open();
    await expect(second.jwt()).toHaveValue(/^eyJ/);
    const { status, rest, frames } = await second.page.evaluate(() => window.painting);
    assert.ok(status < rest, 'the status came first');
    const shownAlone = frames.find((frame) => frame.at > status && frame.paintedBy < rest);
    assert.ok(shownAlone, `a frame with the status and without the rest was painted: status ${status}, rest ${rest}, frames ${JSON.stringify(frames.filter((f) => f.at > status - 5 && f.at < rest + 5))}`);
  });

  test('a slow backend keeps no field from the person: they come while the status is still asked', async ({ standin, open }) => {
    const second = await returningTab({ standin, open });
    await standin.fault({ path: '/trakt/auth-status/', times: 1, delay_ms: 5_000, status: 503, body: '' });
    await second.open();
    await expect(second.jwt()).toHaveValue(/^eyJ/, { timeout: 2_000 });
    await expect(second.status()).toContainText('Checking the Trakt connection');
    await second.backendUrl().fill(`${standin.url}/api`);
    await expect(second.backendUrlHint()).toContainText(`${standin.url}/api/trakt/`);
  });

  test('a new visitor gets the fields first, then the status and authorize steps', async ({ standin, newContext }) => {
    const page = await (await newContext(standin)).newPage();
    await noteFirstSight(page, selectors.jwt, STEPS);
    const fresh = new HelperPage(page, `${standin.url}/`);
    await fresh.open();
    await expect(fresh.status()).toContainText('Not checked yet');
    await expect(fresh.authorizeStep()).toBeVisible();
    const { present } = await page.evaluate(() => window.firstSeen);
    assert.deepEqual(present, [selectors.backendUrl, selectors.jwt], 'the fields alone at first');
  });
});
