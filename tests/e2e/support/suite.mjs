// What every end-to-end file needs: one browser, one stand-in reset before each test,
// and a helper page opened in a fresh browser context.
import { after, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startStandin } from './standin.mjs';
import { launchBrowser, newContext } from './browser.mjs';
import { HelperPage } from './helper-page.mjs';

export function helperSuite() {
  const suite = {
    /**
     * Opens the helper served by `backend` (the suite's stand-in by default). With
     * `routeTrakt: false` the context intercepts nothing, so Chromium does its own CORS
     * preflights (Playwright answers them itself for a context that routes requests).
     */
    async open(backend = suite.standin, suffix = '', { routeTrakt = true } = {}) {
      const context = routeTrakt ? await newContext(suite.browser, backend) : await suite.browser.newContext();
      const helper = new HelperPage(await context.newPage(), `${backend.url}/`);
      await helper.open(suffix);
      return { context, helper };
    },
    async callbackPosts() {
      return (await suite.standin.stats()).callback_posts;
    },
    async traktRequests() {
      return (await suite.standin.stats()).requests.filter((r) => r.path.startsWith('/trakt/'));
    },
  };
  before(async () => {
    suite.browser = await launchBrowser();
    suite.standin = await startStandin();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.standin?.stop();
  });
  beforeEach(() => suite.standin.reset());
  return suite;
}

/** Fails if a secret shows up in the address bar or the console. */
export function assertNoLeak(helper, ...secrets) {
  for (const secret of secrets) {
    assert.ok(!helper.address().includes(secret), 'secret in the address bar');
    for (const line of helper.console) assert.ok(!line.includes(secret), `secret in the console: ${line}`);
  }
}
