// Launches Debian's Chromium headless, with the flags this closed network needs, and opens
// the contexts tests run in.
import { chromium } from 'playwright-core';
import { onEnd } from './scope.mjs';

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * The one way tests open a context: a fresh one, closed when `owner` (the test's `t`, or a
 * `scope`) ends, passed or failed. With a `standin`, its requests to trakt.tv reach the
 * stand-in's authorize page instead, redirects included, so the browser really leaves the
 * helper and comes back; without one the context intercepts nothing, so Chromium does its own
 * CORS preflights (Playwright answers them itself for a context that routes requests).
 */
export async function openContext(owner, browser, standin, options = {}) {
  const context = await browser.newContext(options);
  onEnd(owner, () => context.close());
  if (standin) await routeTrakt(context, standin);
  return context;
}

/**
 * A fresh context routed to `standin`'s authorize page, for its caller to close:
 * beside-web-app.test.mjs's, which closes it in `finally`. Every other test uses `openContext`.
 */
export async function newContext(browser, standin, options = {}) {
  const context = await browser.newContext(options);
  await routeTrakt(context, standin);
  return context;
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
