// Measures the release build: first-load sizes (raw and gzip -9) and the time from
// navigation start to the first status shown, in headless Chromium. Reports, never asserts.
//   node scripts/bench.mjs [loads]   (needs dist/ and target/debug/nowplaying-standin)
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { distDir, startStandin } from '../tests/e2e/support/standin.mjs';
import { launchBrowser } from '../tests/e2e/support/browser.mjs';

const loads = Number(process.argv[2] ?? 15);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

async function sizes() {
  const rows = [];
  for (const name of (await readdir(distDir)).sort()) {
    if (!/\.(html|js|wasm|css)$/.test(name)) continue;
    const bytes = await readFile(path.join(distDir, name));
    rows.push({ name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return rows;
}

/** Milliseconds from navigation start until the status shows the backend's answer. */
async function timeToStatus(browser, standin, jwt) {
  const context = await browser.newContext();
  await context.addInitScript((token) => {
    if (location.pathname === '/') sessionStorage.setItem('trakt-helper.jwt', token);
  }, jwt);
  const page = await context.newPage();
  await page.goto(`${standin.url}/`);
  const handle = await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid="status"]');
    return status && /Not connected|Connected/.test(status.textContent) && performance.now();
  });
  const ms = await handle.jsonValue();
  await context.close();
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const rows = await sizes();
console.log('first load (release dist/)');
for (const row of rows) console.log(`  ${row.name.padEnd(44)} ${kib(row.raw).padStart(10)} raw ${kib(row.gzip).padStart(10)} gzip -9`);
const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip }), { raw: 0, gzip: 0 });
console.log(`  ${'total'.padEnd(44)} ${kib(total.raw).padStart(10)} raw ${kib(total.gzip).padStart(10)} gzip -9`);

const browser = await launchBrowser();
const standin = await startStandin();
try {
  const jwt = await standin.token();
  await timeToStatus(browser, standin, jwt); // warm-up, not counted
  const times = [];
  for (let i = 0; i < loads; i += 1) times.push(await timeToStatus(browser, standin, jwt));
  console.log(`navigation start -> first status, ${loads} loads (fresh context each): ` +
    `median ${median(times).toFixed(0)} ms, min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`);
} finally {
  await browser.close();
  await standin.stop();
}
