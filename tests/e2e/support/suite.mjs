// What every end-to-end file needs: one browser, one stand-in reset before each test, and a
// helper page opened in a fresh browser context that closes when the test ends.
import { after, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startStandin } from './standin.mjs';
import { launchBrowser, openContext } from './browser.mjs';
import { HelperPage } from './helper-page.mjs';

/** One browser for the file: launched before its tests, closed after them. */
export function browserSuite() {
  const suite = {
    /** A fresh context for the test `t` (or a `scope`), closed when it ends: see `openContext`. */
    context: (t, standin, options) => openContext(t, suite.browser, standin, options),
  };
  before(async () => {
    suite.browser = await launchBrowser();
  });
  after(() => suite.browser?.close());
  return suite;
}

/** The browser, and the stand-in that serves the helper (reset before each test). */
export function helperSuite() {
  const suite = Object.assign(browserSuite(), {
    /**
     * Opens the helper served by `backend` (the suite's stand-in by default) in a fresh
     * context, closed when `t` ends; `options` are the context's. With `routeTrakt: false`
     * the context intercepts nothing (see `openContext`).
     */
    async open(t, backend = suite.standin, suffix = '', { routeTrakt = true, ...options } = {}) {
      const context = await suite.context(t, routeTrakt ? backend : undefined, options);
      const helper = new HelperPage(await context.newPage(), `${backend.url}/`);
      await helper.open(suffix);
      return { context, helper };
    },
    /** Opens the helper and clicks “Check status” with a JWT the stand-in minted (`token`: its options). */
    async connected(t, token = {}) {
      const { context, helper } = await suite.open(t);
      await helper.connect({ jwt: await suite.standin.token(token) });
      return { context, helper };
    },
    async callbackPosts() {
      return (await suite.standin.stats()).callback_posts;
    },
    async traktRequests() {
      return (await suite.standin.stats()).requests.filter((r) => r.path.startsWith('/trakt/'));
    },
  });
  before(async () => {
    suite.standin = await startStandin();
  });
  after(() => suite.standin?.stop());
  beforeEach(() => suite.standin.reset());
  return suite;
}

/**
 * A second stand-in for the enclosing `describe` (`extraArgs` its command line): started
 * before its first test, reset before each, stopped after its last. It answers as the
 * stand-in does (`url`, `token()`, `stats()`, …) once started, that is inside tests and hooks.
 */
export function anotherStandin(extraArgs = [], options = {}) {
  let standin;
  before(async () => {
    standin = await startStandin(extraArgs, options);
  });
  after(() => standin?.stop());
  beforeEach(() => standin.reset());
  return new Proxy({}, {
    get(_, name) {
      if (!standin) throw new Error(`the other stand-in is not started yet (asked for ${String(name)})`);
      const value = standin[name];
      return typeof value === 'function' ? value.bind(standin) : value;
    },
  });
}

/** Fails if a secret shows up in the address bar or the console. */
export function assertNoLeak(helper, ...secrets) {
  for (const secret of secrets) {
    assert.ok(!helper.address().includes(secret), 'secret in the address bar');
    for (const line of helper.console) assert.ok(!line.includes(secret), `secret in the console: ${line}`);
  }
}
