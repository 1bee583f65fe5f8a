import { startStandin } from '../tests/e2e/support/standin.mjs';
import { launchBrowser } from '../tests/e2e/support/browser.mjs';
const browser = await launchBrowser();
const standin = await startStandin([]);
const jwt = await standin.token();
for (let i = 0; i < 3; i++) {
  const context = await browser.newContext();
  await context.addInitScript((t) => {
    sessionStorage.setItem('trakt-helper.jwt', t);
    window.__t = {};
    const orig = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (...a) => { window.__t.instStart = performance.now(); const r = await orig(...a); window.__t.instEnd = performance.now(); return r; };
    document.addEventListener('DOMContentLoaded', () => { window.__t.dcl = performance.now(); });
    addEventListener('TrunkApplicationStarted', () => { window.__t.started = performance.now(); });
  }, jwt);
  const page = await context.newPage();
  await page.goto(`${standin.url}/`);
  const h = await page.waitForFunction(() => { const s = document.querySelector('[data-testid="status"]'); return s && /Not connected|Connected/.test(s.textContent) && performance.now(); });
  const st = await h.jsonValue();
  const info = await page.evaluate(() => ({ marks: performance.getEntriesByType("mark").map((m) => [m.name, Math.round(m.startTime)]), t: window.__t, r: performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop().slice(0, 14), e.initiatorType, Math.round(e.startTime), Math.round(e.responseEnd)]) , nav: performance.getEntriesByType('navigation')[0].responseEnd}));
  console.log(Math.round(st), JSON.stringify(info.t), JSON.stringify(info.marks));
  await context.close();
}
await browser.close(); await standin.stop();
