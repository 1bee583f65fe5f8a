// The page itself: only its own scripts run and it connects only to its backend (its
// Content-Security-Policy), another page cannot frame it into doing anything, and the host
// it is served from shares nothing else.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { distDir } from './support/standin.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

describe('what runs in the page', () => {
  test('the Content-Security-Policy forbids inline script and limits connections to the backend', async ({ connected }) => {
    const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
    assert.match(html, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(
      html,
      /<script(?![^>]*\bsrc=)(?![^>]*type="?importmap)[^>]*>/,
      'no inline script in index.html but the import map, which the CSP names by its hash',
    );

    const { helper } = await connected();
    await expect(helper.status()).toContainText('Not connected to Trakt.');
    const outcome = await helper.page.evaluate(async () => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.head.append(script);
      let fetched;
      try {
        await fetch('http://127.0.0.1:9/elsewhere');
        fetched = 'allowed';
      } catch {
        fetched = 'blocked';
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { inline: window.__inline, fetched, violations };
    });
    assert.equal(outcome.inline, undefined, 'an inline script did not run');
    assert.equal(outcome.fetched, 'blocked');
    assert.ok(outcome.violations.some((v) => v.startsWith('script-src')), outcome.violations.join());
    assert.ok(outcome.violations.includes('connect-src'), outcome.violations.join());
  });
});

describe('another page that frames it', () => {
  test('framed by another page, the page reads nothing and offers nothing to click', async ({ standin, newContext }) => {
    const context = await newContext(standin);
    const helperUrl = `${standin.url}/`;
    const setup = await context.newPage();
    await setup.goto(helperUrl);
    await setup.evaluate(async ([jwt, backend]) => {
      localStorage.setItem('trakt-helper.remember-jwt', '1');
      localStorage.setItem('trakt-helper.remembered-jwt', JSON.stringify({ token: jwt, backend }));
    }, [await standin.token(), standin.url]);
    await setup.close();
    await standin.reset();
    // A host that sends no frame headers, and a page on another origin that frames it.
    await context.route(helperUrl, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['x-frame-options'];
      delete headers['content-security-policy'];
      await route.fulfill({ response, headers });
    });
    await context.route('http://127.0.0.1:9/framer', (route) =>
      route.fulfill({ contentType: 'text/html', body: `<iframe src="${helperUrl}" style="opacity:.05"></iframe>` }),
    );
    const page = await context.newPage();
    await page.goto('http://127.0.0.1:9/framer');
    const frame = page.frameLocator('iframe');
    await expect(HelperPage.framedNotice(frame)).toContainText('does not work inside another page');
    await expect(HelperPage.controls(frame), 'nothing to click or read').toHaveCount(0);
    await page.waitForTimeout(500);
    assert.deepEqual(await standin.traktRequests(), [], 'no authenticated call');
  });
});

describe('the host the page is served from', () => {
  const get = (url, requestPath, headers = {}) =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const request = http.get({ hostname, port, path: requestPath, headers }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
      });
      request.on('error', reject);
    });

  test('the stand-in serves only files under its folder, and shares none with other origins', async ({ standin }) => {
    for (const sneaky of ['//etc/hostname', '///etc/hostname', '/..//etc/hostname', '/%2e%2e/%2e%2e/etc/hostname']) {
      const answer = await get(standin.url, sneaky, { origin: 'http://evil.example' });
      assert.equal(answer.status, 404, sneaky);
      assert.equal(answer.headers['access-control-allow-origin'], undefined, sneaky);
    }
    const page = await get(standin.url, '/', { origin: 'http://evil.example' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['access-control-allow-origin'], undefined, 'the page is not shared cross-origin');
  });
});
