// What every end-to-end test is given (Playwright's fixtures): the stand-in that serves the
// helper, reset before the test, and openers for browser contexts, helper pages, other
// stand-ins and copies of dist/, all closed when the test ends, passed or failed.
import { test as base, expect } from '@playwright/test';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { distDir, startStandin } from './standin.mjs';
import { HelperPage } from './helper-page.mjs';

export { expect };

/**
 * What a test (or one turn of a loop in it, see `scope`) opens, closed when it ends: the last
 * opened first, as `finally` blocks would, and every one even when another throws. Its
 * openers are also the test's fixtures of the same names.
 */
class Openings {
  #closes = [];

  constructor(browser, standin) {
    this.browser = browser;
    this.standin = standin;
  }

  /** Runs `close` when the test (or scope) ends. */
  onEnd = (close) => {
    this.#closes.push(close);
  };

  async close() {
    const errors = [];
    while (this.#closes.length) await Promise.resolve().then(this.#closes.pop()).catch((error) => errors.push(error));
    if (errors.length) throw errors[0];
  }

  /**
   * A fresh context (`options` are Playwright's). With a `standin`, its requests to trakt.tv
   * reach the stand-in's authorize page instead, redirects included, so the browser really
   * leaves the helper and comes back; without one the context intercepts nothing, so Chromium
   * does its own CORS preflights (Playwright answers them itself for a context that routes
   * requests).
   */
  newContext = async (standin, options = {}) => {
    const context = await this.browser.newContext(options);
    this.onEnd(() => context.close());
    if (standin) await routeTrakt(context, standin);
    return context;
  };

  /**
   * Opens the helper served by `backend` (the test's stand-in by default) in a fresh context;
   * `options` are the context's. With `routeTrakt: false` the context intercepts nothing.
   */
  open = async (backend = this.standin, suffix = '', { routeTrakt = true, ...options } = {}) => {
    const context = await this.newContext(routeTrakt ? backend : undefined, options);
    const helper = new HelperPage(await context.newPage(), `${backend.url}/`);
    await helper.open(suffix);
    return { context, helper };
  };

  /** Opens the helper and clicks “Check status” with a JWT the stand-in minted (`token`: its options). */
  connected = async (token = {}) => {
    const { context, helper } = await this.open();
    await helper.connect({ jwt: await this.standin.token(token) });
    return { context, helper };
  };

  /** Another stand-in, `extraArgs` its command line (see standin.mjs). */
  startStandin = async (extraArgs = [], options = {}) => {
    const standin = await startStandin(extraArgs, options);
    this.onEnd(() => standin.stop());
    return standin;
  };

  /** A copy of dist/ in a new folder of the temporary directory. */
  copyOfDist = async (prefix) => {
    const copy = await mkdtemp(path.join(tmpdir(), prefix));
    this.onEnd(() => rm(copy, { recursive: true, force: true }));
    await cp(distDir, copy, { recursive: true });
    return copy;
  };
}

/** Runs `body` with openers of its own (see `Openings`), closing what it opened as it ends, even when it throws. */
export async function scoped(browser, standin, body) {
  const openings = new Openings(browser, standin);
  try {
    return await body(openings);
  } finally {
    await openings.close();
  }
}

async function routeTrakt(context, standin) {
  context.trakt = [];
  await context.route(/^https:\/\/(api\.)?trakt\.tv\//, async (route) => {
    const request = route.request();
    context.trakt.push({ url: request.url(), referer: await request.headerValue('referer') });
    const original = new URL(request.url());
    const response = await route.fetch({
      url: `${standin.url}${original.pathname}${original.search}`,
      maxRedirects: 0,
    });
    await route.fulfill({ response });
  });
}

const opener = (name) => async ({ openings }, use) => use(openings[name]);

export const test = base.extend({
  /** The stand-in that serves the helper: one per worker, started as it starts. */
  workerStandin: [
    async ({}, use) => {
      const standin = await startStandin();
      await use(standin);
      await standin.stop();
    },
    { scope: 'worker' },
  ],
  /** That stand-in, reset before the test: no fault, user or call left from another test. */
  standin: async ({ workerStandin }, use) => {
    await workerStandin.reset();
    await use(workerStandin);
  },
  openings: async ({ browser, standin }, use) => {
    const openings = new Openings(browser, standin);
    try {
      await use(openings);
    } finally {
      await openings.close();
    }
  },
  onEnd: opener('onEnd'),
  newContext: opener('newContext'),
  open: opener('open'),
  connected: opener('connected'),
  startStandin: opener('startStandin'),
  copyOfDist: opener('copyOfDist'),
  /**
   * `scope(body)` runs `body` with the same openers (`{ open, connected, newContext, … }`),
   * and closes what they opened as soon as `body` ends: for a loop whose turns must not
   * outlive themselves.
   */
  scope: async ({ browser, standin }, use) => use((body) => scoped(browser, standin, body)),
});

/** Fails if a secret shows up in the address bar or the console. */
export function expectNoLeak(helper, ...secrets) {
  for (const secret of secrets) {
    expect(helper.address(), 'secret in the address bar').not.toContain(secret);
    for (const line of helper.console) expect(line, 'secret in the console').not.toContain(secret);
  }
}
