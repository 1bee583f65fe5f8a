// Measures the release build: the first load (raw, gzip -9 and brotli -11), each part
// loaded on demand, and in headless Chromium the time from navigation start to the status,
// to a return finished (“connected”), to the whole page's controls, and to a new visitor's
// form, each against the plain page. Reports; fails only when the first load is over CI's
// ceiling.
//   node scripts/bench.mjs [loads]   (needs dist/ and target/debug/nowplaying-standin)
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { distDir, startStandin } from '../tests/e2e/support/standin.mjs';
import { launchBrowser } from '../tests/e2e/support/browser.mjs';

const loads = Number(process.argv[2] ?? 15);
// Issue 20's target for the first load, gzip -9 (README, "Figures"); and the ceiling CI
// holds meanwhile, so the first load cannot grow unseen: the first load measured once the
// parts were fetched after the status and the page finds the API beside the web app
// (issue 21: 222.0 KB, 5.1 KB more: finding the API, its hint and the web-page text), plus
// 5 KB; raised by 1 KB when the page was built off screen and shown with its status (issue
// 20's third step: 227.2 KB, 0.5 KB more, for a render phase 34 -> about 20 ms), and by 3 KB
// in its fifth (230.5 KB, 3.3 KB more: the flow's offer to finish a code by hand and its
// following of another tab's connection, with the review's fixes; the page's one notice for
// a part that did not arrive, which must be in the main module since it reports the parts;
// the loader's message for a missing part file), and by 3 KB in the stop that reported it
// blocked (232.9 KB, 2.4 KB more: one JWT renewal shared by everything that waits for it, a
// code the person sends on checked and claimed once renewed, refused and failed renewals
// told apart, the page's requests waiting for the flow's renewal and going only with the
// same user's JWT; all in the flow and the session, which the first screen runs). All are
// for the first load only; the parts are fetched right after the status.
const BUDGET_BYTES = 100_000;
const CEILING_BYTES = 234_000;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

async function size(name) {
  const bytes = await readFile(path.join(distDir, name));
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli };
}

/**
 * What the browser fetches before the page can show anything: index.html, the files it
 * names, and what those scripts import, followed the way the browser follows them. The
 * parts, which the loader fetches when a split point is first called, are not among them.
 */
async function firstLoadFiles() {
  const found = ['index.html'];
  for (let i = 0; i < found.length; i += 1) {
    const name = found[i];
    if (!/\.(html|js)$/.test(name)) continue;
    const text = await readFile(path.join(distDir, name), 'utf8');
    const pattern = name.endsWith('.html') ? /\b(?:href|src)="?\.\/([^"\s>]+)/g : /\b(?:from|import)\s*["']\.\/([^"']+)["']/g;
    for (const [, ref] of text.matchAll(pattern)) if (!found.includes(ref)) found.push(ref);
  }
  return found;
}

const total = (rows) =>
  rows.reduce(
    (sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
const line = (label, row) =>
  `  ${label.padEnd(46)} ${kib(row.raw).padStart(10)} raw ${kib(row.gzip).padStart(10)} gzip -9 ${kib(row.brotli).padStart(10)} brotli -11`;

/**
 * Milliseconds from navigation start until the page reaches `milestone`, in a fresh browser
 * context; `prepare` runs before any of the page's scripts.
 *
 * The page times itself: a script added before its own records the first animation frame
 * after the milestone shows and reports it on the console. Polling from Playwright instead
 * would inject Playwright's own script into the page while it loads, and that script's
 * evaluation lands on the main thread at the very moment being measured. (The milestones
 * are written out here: the helper's CSP forbids building a function from text.)
 *   status     the backend's status is shown (`selector` holds it)
 *   connected  the return was sent and the page says Trakt is connected
 *   form       a new visitor can type: the Backend URL and JWT fields and Check status
 *   whole      every step's controls: the status, the authorize link, sign-in, paste and
 *              the doctor
 */
async function timeTo(browser, url, milestone, selector, prepare) {
  const context = await browser.newContext();
  if (prepare) await context.addInitScript(prepare.script, prepare.arg);
  await context.addInitScript(
    ([wanted, selector]) => {
      const text = (query) => document.querySelector(query)?.textContent ?? '';
      const reached = {
        status: () => /Not connected|Connected/.test(text(selector)),
        connected: () => /connected/i.test(text(selector)) && !/Not connected/.test(text(selector)),
        form: () =>
          ['#backend-url', '#jwt', '[data-testid="check-status"]'].every((q) => document.querySelector(q)),
        whole: () =>
          /Not connected|Connected/.test(text('[data-testid="status"]')) &&
          ['[data-testid="authorize-link"]', '[data-testid="sign-in"]', '[data-testid="paste-return"]', '[data-testid="run-doctor"]']
            .every((q) => document.querySelector(q)),
      }[wanted];
      const observer = new MutationObserver(() => {
        if (!reached()) return;
        observer.disconnect();
        // The phases, from the resource timings: when the main wasm (or the plain page)
        // had arrived, when the backend call left and when its answer was in; and which
        // files had been asked for by the moment the milestone showed.
        const at = performance.now();
        const resources = performance.getEntriesByType('resource');
        const last = (pattern) => resources.filter((r) => pattern.test(r.name)).at(-1);
        const wasm = last(/_bg\.wasm$/);
        const call = last(/\/trakt\/(auth-status|oauth-callback)\//);
        const phases = {
          code: wasm?.responseEnd ?? performance.getEntriesByType('navigation')[0]?.responseEnd,
          sent: call?.startTime,
          answered: call?.responseEnd,
          asked: resources.filter((r) => r.startTime <= at).map((r) => new URL(r.name).pathname.split('/').pop()),
        };
        requestAnimationFrame(() => console.debug(`milestone ${performance.now()} ${JSON.stringify(phases)}`));
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true });
    },
    [milestone, selector],
  );
  const page = await context.newPage();
  const shown = page.waitForEvent('console', {
    predicate: (message) => message.text().startsWith('milestone '),
    timeout: 30_000,
  });
  await page.goto(url, { waitUntil: 'commit' });
  const [, at, json] = (await shown).text().match(/^milestone (\S+) (.*)$/);
  const { asked, ...phases } = JSON.parse(json);
  await context.close();
  return { ms: Number(at), fetched: asked, phases };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const firstNames = await firstLoadFiles();
const first = await Promise.all(firstNames.sort().map(size));
console.log('first load (release dist/): everything fetched before the status shows');
for (const row of first) console.log(line(row.name, row));
const firstTotal = total(first);
console.log(line('total', firstTotal));
console.log(`  target ${kb(BUDGET_BYTES)}: ${firstTotal.gzip <= BUDGET_BYTES ? 'met' : `not met, ${kb(firstTotal.gzip - BUDGET_BYTES)} over`}`);
if (firstTotal.gzip > CEILING_BYTES) {
  console.error(`  FAIL: the first load (${kb(firstTotal.gzip)} gzip -9) is over CI's ceiling of ${kb(CEILING_BYTES)}`);
  process.exitCode = 1;
} else {
  console.log(`  within CI's ceiling of ${kb(CEILING_BYTES)}`);
}

// Each part with the chunks it shares with other parts (a chunk is fetched once, by
// whichever part needs it first), as scripts/post-build.mjs recorded them.
const partsJson = path.join(distDir, 'parts.json');
const { parts } = existsSync(partsJson) ? JSON.parse(await readFile(partsJson, 'utf8')) : { parts: {} };
const partFiles = new Set(Object.values(parts).flat());
console.log('parts, fetched right after the status (own file + shared chunks)');
for (const [part, files] of Object.entries(parts).sort()) {
  const rows = await Promise.all(files.map(size));
  console.log(line(`${part} (${files.length} file${files.length > 1 ? 's' : ''})`, total(rows)));
}
console.log(line('all parts, each file once', total(await Promise.all([...partFiles].map(size)))));
const unaccounted = (await readdir(distDir)).filter(
  (name) => !firstNames.includes(name) && !partFiles.has(name) && name !== 'parts.json' && !/\.(gz|br)$/.test(name),
);
if (unaccounted.length) console.log(`  in dist/ but neither: ${unaccounted.join(', ')}`);

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
  const early = new Set();
  // The JWT as the page keeps it (no backend accepted it yet); for a return, also the
  // pending authorization the click on “Authorize on Trakt” records.
  const seeded = (pending) => ({
    script: ([token, pending]) => {
      sessionStorage.setItem('trakt-helper.jwt', JSON.stringify({ token, backend: null }));
      if (pending) sessionStorage.setItem('trakt-helper.pending-authorization', JSON.stringify(pending));
    },
    arg: [jwt, pending],
  });
  // The status and return loads' phases, helper and plain page, for the report below.
  const phases = { status: { helper: [], plain: [] }, return: { helper: [], plain: [] } };
  const timed = (load, rows) => {
    rows.push({ ...load.phases, shown: load.ms });
    return load.ms;
  };
  const helperStatus = async () => {
    const load = await timeTo(browser, `${standin.url}/`, 'status', '[data-testid="status"]', seeded(null));
    for (const name of load.fetched) if (partFiles.has(name)) early.add(name);
    return timed(load, phases.status.helper);
  };
  const plainStatus = async () =>
    timed(await timeTo(browser, `${standin.url}/oauth_helper.html`, 'status', '#status'), phases.status.plain);
  const nonce = 'b3c5e0b8f2a9d4e7b8c1f6a2d9e0b7c4';
  const helperReturn = async () => {
    const { code } = await standin.approvedElsewhere();
    const pending = { nonce, state: '1', backend: standin.url, expires_ms: Date.now() + 600_000 };
    const url = `${standin.url}/?code=${code}&state=${nonce}`;
    return timed(await timeTo(browser, url, 'connected', '[data-testid="callback-result"]', seeded(pending)), phases.return.helper);
  };
  const plainReturn = async () => {
    const { code } = await standin.approvedElsewhere();
    const url = `${standin.url}/oauth_helper.html?code=${code}&state=1`;
    return timed(await timeTo(browser, url, 'connected', '#status'), phases.return.plain);
  };
  // Not connected (a return before connected the user), so the authorize step is whole too.
  const helperWhole = async () => {
    await standin.reset();
    return (await timeTo(browser, `${standin.url}/`, 'whole', '[data-testid="status"]', seeded(null))).ms;
  };
  const newVisitor = async () => (await timeTo(browser, `${standin.url}/`, 'form', '')).ms;
  const runs = {
    status: [helperStatus, plainStatus],
    return: [helperReturn, plainReturn],
    whole: [helperWhole, plainStatus],
    'new visitor': [newVisitor, plainStatus],
  };
  // Warm-up, not counted.
  for (const [helper, plain] of Object.values(runs)) {
    await helper();
    await plain();
  }
  const times = Object.fromEntries(Object.keys(runs).map((name) => [name, { helper: [], plain: [] }]));
  for (let i = 0; i < loads; i += 1) {
    for (const [name, [helper, plain]] of Object.entries(runs)) {
      times[name].helper.push(await helper());
      times[name].plain.push(await plain());
    }
  }
  const describe = (values) =>
    `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
  console.log(`navigation start -> milestone, ${loads} loads each, fresh context each, against the plain page:`);
  const against = {
    status: 'its status',
    return: 'its return (code POSTed, "Connected")',
    whole: 'its status',
    'new visitor': 'its status',
  };
  for (const [name, { helper, plain }] of Object.entries(times)) {
    console.log(`  ${name.padEnd(12)} helper ${describe(helper)}`);
    console.log(`  ${''.padEnd(12)} plain  ${describe(plain)} (${against[name]})`);
    console.log(`  ${''.padEnd(12)} ratio  ${(median(helper) / median(plain)).toFixed(2)}x`);
  }
  console.log(`  parts fetched before the status: ${early.size ? [...early].join(', ') : 'none'}`);
  // Where the status and return loads' time goes (medians over the counted and warm-up
  // loads): the code arriving, start-up until the backend call leaves (compile, instantiate,
  // mount; for a return, claiming the code too), the backend's answer, and showing it.
  const at = (rows, key) => median(rows.map((row) => row[key]).filter((v) => v !== undefined));
  const span = (rows, from, to) => median(rows.map((row) => row[to] - row[from]).filter((v) => !Number.isNaN(v)));
  for (const [name, { helper, plain }] of Object.entries(phases)) {
    console.log(`  ${name} phases, median ms from navigation start (helper / plain):`);
    for (const [label, key] of [['code arrived', 'code'], ['call sent', 'sent'], ['answer in', 'answered'], ['shown', 'shown']]) {
      console.log(`    ${label.padEnd(14)} ${at(helper, key).toFixed(0).padStart(5)} / ${at(plain, key).toFixed(0)}`);
    }
    for (const [label, from, to] of [['start-up', 'code', 'sent'], ['backend', 'sent', 'answered'], ['render', 'answered', 'shown']]) {
      console.log(`    ${label.padEnd(14)} ${span(helper, from, to).toFixed(0).padStart(5)} / ${span(plain, from, to).toFixed(0)}`);
    }
  }
} finally {
  await browser.close();
  await standin.stop();
  await rm(served, { recursive: true, force: true });
}
