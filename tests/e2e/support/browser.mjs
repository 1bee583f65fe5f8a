// Debian's Chromium, headless, with the flags this closed network needs: what
// playwright.config.mjs launches for the tests, and scripts/bench.mjs for its figures.
import { chromium } from '@playwright/test';

export const launchOptions = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
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
};

/** For scripts/bench.mjs, which runs outside the test runner. */
export function launchBrowser() {
  return chromium.launch(launchOptions);
}
