// The end-to-end suite (tests/e2e/) on Playwright's runner, in Debian's Chromium: no browser
// is ever downloaded. `npx playwright test` runs it; scripts/test does, and adds up the line
// of counts it ends with (support/counts-reporter.mjs), as for the other engines' lane.
import { defineConfig } from '@playwright/test';
import { launchOptions } from './tests/e2e/support/browser.mjs';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '*.test.mjs',
  // A failing test keeps its trace and screenshot here (target/ is never committed).
  outputDir: 'target/playwright/results',
  reporter: [['list'], ['./tests/e2e/support/counts-reporter.mjs']],
  projects: [{ name: 'chromium' }],
  // Two workers, one per core: each runs whole files, one after another, in its own browser
  // with its own stand-in. Most of a test's time is waiting on the page, which two share well
  // (E2E_WORKERS=1 runs the files one at a time).
  workers: Number(process.env.E2E_WORKERS ?? 2),
  fullyParallel: false,
  // A flaky test must show.
  retries: 0,
  forbidOnly: true,
  // Each test that needs longer says so itself (test.setTimeout).
  timeout: 60_000,
  // As long as the old suite's waits: the page updates asynchronously, on a busy machine too.
  expect: { timeout: 10_000 },
  use: {
    // As long as playwright-core's own defaults, which the suite had before.
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    browserName: 'chromium',
    headless: true,
    // Debian's Chromium and the flags this closed network needs (one list, in browser.mjs).
    launchOptions,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
