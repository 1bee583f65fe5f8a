// Accessibility: axe-core finds no WCAG 2.1 A/AA violation on any screen, light or dark,
// desktop or 360 px wide. Each screen it checks is also saved as a screenshot, to
// target/screenshots/ or $SCREENSHOTS_DIR (docs/screenshots for the README's).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelperPage } from './support/helper-page.mjs';
import { screens } from './support/screens.mjs';
import { expect, test } from './support/fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const axePath = path.join(root, 'node_modules/axe-core/axe.min.js');
const shots = path.resolve(root, process.env.SCREENSHOTS_DIR ?? 'target/screenshots');
const { describe } = test;

test.beforeAll(() => mkdir(shots, { recursive: true }));

const looks = [
  ['light', { colorScheme: 'light', viewport: { width: 1024, height: 800 } }],
  ['dark', { colorScheme: 'dark', viewport: { width: 1024, height: 800 } }],
  ['narrow', { colorScheme: 'light', viewport: { width: 360, height: 800 } }],
];

for (const [look, options] of looks) {
  describe(`axe, ${look}`, () => {
    for (const name of Object.keys(screens())) {
      test(name, async ({ standin, open }) => {
        // The page's CSP forbids injected scripts; axe is the one exception, in this context only.
        const { helper } = await open(standin, '', { ...options, bypassCSP: true });
        await screens(standin)[name](helper);
        await helper.page.screenshot({ path: path.join(shots, `${name}-${look}.png`), fullPage: true });
        await helper.page.addScriptTag({ path: axePath });
        const violations = await helper.page.evaluate(async () => {
          const result = await window.axe.run(document, {
            runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
          });
          return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
        });
        assert.deepEqual(violations, []);
        const overflow = await helper.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
      });
    }
  });
}

describe('keyboard alone', () => {
  /** Presses Tab until the focused element matches `selector`; returns its focus outline. */
  async function tabTo(page, selector) {
    for (let i = 0; i < 60; i += 1) {
      await page.keyboard.press('Tab');
      const outline = await page.evaluate((wanted) => {
        const active = document.activeElement;
        if (!active?.matches(wanted)) return null;
        const style = getComputedStyle(active);
        return `${style.outlineStyle} ${style.outlineWidth}`;
      }, selector);
      if (outline) return outline;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  test('the whole flow works with the keyboard, with a visible focus', async ({ standin, open }) => {
    const { helper } = await open();
    const { page } = helper;
    assert.notEqual(await tabTo(page, HelperPage.selectors.jwt), 'none 0px');
    await page.keyboard.type(await standin.token());
    await page.keyboard.press('Enter');
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    await helper.authorizeLink().waitFor();
    const outline = await tabTo(page, HelperPage.selectors.authorizeLink);
    assert.match(outline, /^solid 3px$/, 'the focused link shows the focus ring');
    await page.keyboard.press('Enter');
    await helper.traktHeading().waitFor();
    await tabTo(page, HelperPage.selectors.approveOnTrakt);
    await page.keyboard.press('Enter');
    await expect(helper.callbackResult()).toContainText('Trakt is connected.');
  });
});
