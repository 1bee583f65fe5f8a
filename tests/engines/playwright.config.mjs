// The engines lane: the core journeys in Debian's Firefox ESR and WebKitGTK, each through its
// own WebDriver server (tests/engines/drivers.mjs), against the release build in dist/ and the
// stand-in. No Playwright browser is used or downloaded: the tests drive the browsers with
// selenium-webdriver, and @playwright/test runs them (fixtures, projects, reports).
//
//   npx playwright test --config tests/engines/playwright.config.mjs [--project webkit]
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.test.mjs',
  outputDir: '../../target/playwright/engines-results',
  // One worker per engine: the two run side by side, each test after the other in its own.
  workers: 2,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['../e2e/support/counts-reporter.mjs']],
  projects: [
    { name: 'firefox', use: { engine: 'firefox' } },
    { name: 'webkit', use: { engine: 'webkit' } },
  ],
});
