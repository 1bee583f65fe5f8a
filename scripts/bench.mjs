// Measures the release build: first-load sizes (raw and gzip -9) and the time from
// navigation start to the first status shown, in headless Chromium. Reports, never asserts.
//   node scripts/bench.mjs [loads]   (needs dist/ and target/debug/nowplaying-standin)
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { distDir, startStandin } from '../tests/e2e/support/standin.mjs';
import { launchBrowser } from '../tests/e2e/support/browser.mjs';

const loads = Number(process.argv[2] ?? 15);
// Issue 5's budget for the whole first load, gzip -9, which this build does not meet
// (README, "Figures"); and the ceiling CI holds meanwhile, so the load cannot grow unseen:
// the first load measured once serde, the URL standard, Intl and Leptos's actions came in, plus 5 KB.
const BUDGET_BYTES = 80_000;
const CEILING_BYTES = 231_500;
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

/**
 * Milliseconds from navigation start until `page` shows the backend's status, in a fresh
 * browser context; `prepare` runs before any of the page's scripts.
 *
 * The page times itself: a script added before its own records the first animation frame
 * after the status text appears and reports it on the console. Polling from Playwright
 * instead would inject Playwright's own script into the page while it loads, and that
 * script's evaluation lands on the main thread at the very moment being measured.
 */
async function timeToStatus(browser, url, selector, prepare) {
  const context = await browser.newContext();
  if (prepare) await context.addInitScript(prepare.script, prepare.arg);
  await context.addInitScript((wanted) => {
    const observer = new MutationObserver(() => {
      const status = document.querySelector(wanted);
      if (!status || !/Not connected|Connected/.test(status.textContent)) return;
      observer.disconnect();
      requestAnimationFrame(() => console.debug(`first-status ${performance.now()}`));
    });
    observer.observe(document, { subtree: true, childList: true, characterData: true });
  }, selector);
  const page = await context.newPage();
  const shown = page.waitForEvent('console', {
    predicate: (message) => message.text().startsWith('first-status '),
    timeout: 30_000,
  });
  await page.goto(url, { waitUntil: 'commit' });
  const ms = Number((await shown).text().split(' ')[1]);
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
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
console.log(`  budget ${kb(BUDGET_BYTES)}: ${total.gzip <= BUDGET_BYTES ? 'met' : `not met, ${kb(total.gzip - BUDGET_BYTES)} over`}`);
if (total.gzip > CEILING_BYTES) {
  console.error(`  FAIL: the first load (${kb(total.gzip)} gzip -9) is over CI's ceiling of ${kb(CEILING_BYTES)}`);
  process.exitCode = 1;
} else {
  console.log(`  within CI's ceiling of ${kb(CEILING_BYTES)}`);
}

// The plain page it replaces, served by the same server from a copy of dist/.
const served = await mkdtemp(path.join(tmpdir(), 'bench-dist-'));
await cp(distDir, served, { recursive: true });
const reference = await readFile(new URL('../bench/oauth_helper.html', import.meta.url), 'utf8');

const browser = await launchBrowser();
const standin = await startStandin(['--static', served]);
try {
  const jwt = await standin.token();
  await writeFile(
    path.join(served, 'oauth_helper.html'),
    reference.replace('__BACKEND_URL__', standin.url).replace('__JWT__', jwt),
  );
  const helper = () =>
    timeToStatus(browser, `${standin.url}/`, '[data-testid="status"]', {
      script: (token) => sessionStorage.setItem('trakt-helper.jwt', token),
      arg: jwt,
    });
  const plain = () => timeToStatus(browser, `${standin.url}/oauth_helper.html`, '#status');
  await helper(); // warm-up, not counted
  await plain();
  const times = { helper: [], plain: [] };
  for (let i = 0; i < loads; i += 1) {
    times.helper.push(await helper());
    times.plain.push(await plain());
  }
  const describe = (values) =>
    `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
  console.log(`navigation start -> first status, ${loads} loads each, fresh context each:`);
  console.log(`  helper             ${describe(times.helper)}`);
  console.log(`  plain oauth_helper ${describe(times.plain)}`);
  console.log(`  ratio              ${(median(times.helper) / median(times.plain)).toFixed(2)}x`);
} finally {
  await browser.close();
  await standin.stop();
  await rm(served, { recursive: true, force: true });
}
