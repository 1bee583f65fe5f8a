// Launches Debian's Chromium headless, with the flags this closed network needs.
import { chromium } from 'playwright-core';

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
 * A fresh context whose requests to trakt.tv reach the stand-in's authorize page instead,
 * redirects included, so the browser really leaves the helper and comes back.
 */
export async function newContext(browser, standin, options = {}) {
  const context = await browser.newContext(options);
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
  return context;
}
