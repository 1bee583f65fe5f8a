// Takes a screenshot of each screen of the release build against the stand-in:
// node scripts/screenshots.mjs [out-dir]   (default docs/screenshots)
import { mkdir } from 'node:fs/promises';
import { startStandin } from '../tests/e2e/support/standin.mjs';
import { launchBrowser, newContext } from '../tests/e2e/support/browser.mjs';
import { HelperPage } from '../tests/e2e/support/helper-page.mjs';
import { screens as screensOf } from '../tests/e2e/support/screens.mjs';

const out = process.argv[2] ?? 'docs/screenshots';
await mkdir(out, { recursive: true });
const browser = await launchBrowser();
const standin = await startStandin();

async function shoot(name, scheme, width, steps) {
  await standin.reset();
  const context = await newContext(browser, standin, {
    colorScheme: scheme,
    viewport: { width, height: 900 },
  });
  const helper = new HelperPage(await context.newPage(), `${standin.url}/`);
  await helper.open();
  await steps(helper);
  await helper.page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  await context.close();
  console.log(`${out}/${name}.png`);
}

const screens = screensOf(standin);

try {
  for (const [name, steps] of Object.entries(screens)) {
    await shoot(`${name}-light`, 'light', 1024, steps);
  }
  await shoot('connected-dark', 'dark', 1024, screens.connected);
  await shoot('not-connected-narrow', 'light', 360, screens['not-connected']);
} finally {
  await browser.close();
  await standin.stop();
}
