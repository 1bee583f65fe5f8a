// What each test of the engines lane gets: a fresh WebDriver session (closed when the test
// ends, passed or failed) on its project's engine, whose WebDriver server each worker starts
// once; and two stand-ins per worker, reset before each test: `site`, which serves the
// release build (as a host the helper is put on), and `backend`, another origin that plays
// NowPlaying and Trakt's authorize page (its auth_url points at itself, and Trakt sends the
// browser back to the helper at `site`). WebDriver cannot reroute requests as Playwright's
// routes do, so the stand-in's own --authorize-base keeps the whole flow on loopback.
import { test as base } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { distDir, startStandin } from '../e2e/support/standin.mjs';
import { freePort } from '../e2e/support/servers.mjs';
import { startDriverServer } from './drivers.mjs';
import { HelperPage } from './helper-page.mjs';

/** A stand-in listening on a port known before it starts, so its auth_url can name itself. */
async function startBackend(site) {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    try {
      return await startStandin(
        ['--listen', `127.0.0.1:${port}`, '--authorize-base', origin, '--redirect-uri', `${site.url}/`],
        { serveHelper: false },
      );
    } catch (error) {
      if (attempt === 3) throw error; // the port was taken in between: another one
    }
  }
}

export const test = base.extend({
  /** The project's engine: `firefox` or `webkit` (playwright.config.mjs). */
  engine: ['firefox', { option: true, scope: 'worker' }],

  driverServer: [
    async ({ engine }, use) => {
      const server = await startDriverServer(engine);
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  standins: [
    async ({}, use) => {
      const site = await startStandin();
      let backend;
      try {
        backend = await startBackend(site);
        await use({ site, backend });
      } finally {
        await backend?.stop();
        await site.stop();
      }
    },
    { scope: 'worker' },
  ],

  /** The parts of the release build (parts.json): each lazy part's wasm files. */
  parts: [
    async ({}, use) => {
      await use(JSON.parse(await readFile(path.join(distDir, 'parts.json'), 'utf8')).parts);
    },
    { scope: 'worker' },
  ],

  site: async ({ standins }, use) => {
    await standins.site.reset();
    await use(standins.site);
  },

  backend: async ({ standins }, use) => {
    await standins.backend.reset();
    await use(standins.backend);
  },

  /** A fresh WebDriver session: a new browser profile, quit however the test ends. */
  driver: async ({ driverServer }, use, testInfo) => {
    const driver = await driverServer.newSession();
    try {
      await use(driver);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) {
        const png = await driver.takeScreenshot().catch((error) => console.error(`no screenshot: ${error.message}`));
        if (png) {
          const file = testInfo.outputPath('screen-at-the-failure.png');
          await writeFile(file, Buffer.from(png, 'base64'));
          await testInfo.attach('screen at the failure', { path: file, contentType: 'image/png' });
        }
      }
      await driver.quit();
    }
  },

  /** The helper as served by `site`, not yet opened. */
  helper: async ({ driver, site }, use) => {
    await use(new HelperPage(driver, `${site.url}/`));
  },
});

export { expect } from '@playwright/test';
