// Hostile input and faults: every case ends in a clear message, nothing outside runs as
// code, nothing leaks, nothing is sent twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { distDir, startStandin } from './support/standin.mjs';
import { assertNoLeak, helperSuite } from './support/suite.mjs';
import { newContext } from './support/browser.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { eventually, textContains } from './support/wait.mjs';

const suite = helperSuite();
const hex64 = (c) => c.repeat(64);

// Each would set window.__canary, or leave an element behind, if it were parsed as HTML.
const CANARIES = [
  '<img src=x onerror="window.__canary=1">',
  '"><script>window.__canary=1</script>',
  "'><svg onload=window.__canary=1>",
];

/** Fails if a canary ran or became markup, anywhere on the page. */
async function assertInert(helper) {
  const found = await helper.page.evaluate(() => ({
    ran: window.__canary !== undefined,
    // The import map is the page's own (its hash is in the CSP): the one inline script.
    markup: document.querySelectorAll('img, svg, script:not([src]):not([type="importmap"])').length,
  }));
  assert.deepEqual(found, { ran: false, markup: 0 });
}

async function connected(jwt) {
  const { context, helper } = await suite.open();
  await helper.connect({ jwt: jwt ?? (await suite.standin.token()) });
  return { context, helper };
}

describe('canaries in every outside string show as text and never run', () => {
  const places = [
    {
      name: 'backend "error"',
      async run(canary) {
        await suite.standin.fault({ path: '/trakt/authenticate/', status: 400, body: { error: canary } });
        const { context, helper } = await connected();
        await textContains(helper.authorizeProblem(), canary);
        return { context, helper };
      },
    },
    {
      name: 'backend "detail"',
      async run(canary) {
        await suite.standin.fault({ path: '/trakt/auth-status/', status: 401, body: { detail: canary } });
        const { context, helper } = await connected();
        await textContains(helper.statusProblem(), canary);
        return { context, helper };
      },
    },
    {
      name: 'backend field-error map',
      async run(canary) {
        await suite.standin.fault({ path: '/trakt/authenticate/', status: 400, body: { client_id: [canary] } });
        const { context, helper } = await connected();
        await textContains(helper.authorizeProblem(), `client_id: ${canary}`);
        return { context, helper };
      },
    },
    {
      name: 'backend "expires_at"',
      async run(canary) {
        const body = { authenticated: true, token_expired: false, expires_at: canary };
        await suite.standin.fault({ path: '/trakt/auth-status/', status: 200, body });
        const { context, helper } = await connected();
        await textContains(helper.status(), `Connected — the Trakt token expires ${canary}`);
        return { context, helper };
      },
    },
    {
      name: 'backend "message" and "expires_at" after the exchange',
      async run(canary) {
        const body = { success: true, message: canary, expires_at: canary };
        await suite.standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', status: 200, body });
        const { context, helper } = await connected();
        await helper.authorize();
        await textContains(helper.callbackMessage(), canary);
        await textContains(helper.callbackResult(), `expires ${canary}`);
        return { context, helper };
      },
    },
    {
      name: 'a refused authorize link',
      async run(canary) {
        const body = { auth_url: `https://evil.example/${canary}` };
        await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body });
        const { context, helper } = await connected();
        await textContains(helper.authorizeProblem(), canary);
        return { context, helper };
      },
    },
    {
      name: '"error" and "error_description" in the address bar',
      async run(canary) {
        const query = new URLSearchParams({ error: canary, error_description: canary });
        const { context, helper } = await suite.open(suite.standin, `?${query}`);
        await textContains(helper.callbackProblem(), `Trakt sent back an error: ${canary}`);
        return { context, helper };
      },
    },
    {
      name: '"state" in the address bar',
      async run(canary) {
        const { context, helper } = await connected();
        await helper.authorizeLink().waitFor();
        await helper.open(`?${new URLSearchParams({ code: hex64('c'), state: canary })}`);
        await textContains(helper.callbackProblem(), `state ${canary}`);
        return { context, helper };
      },
    },
    {
      name: 'the backend URL field',
      async run(canary) {
        const { context, helper } = await suite.open();
        const url = `http://127.0.0.1:9/${canary.replaceAll(' ', '/')}`;
        await helper.backendUrl().fill(url);
        // Read by the URL standard, as the browser will call it: the path comes percent-encoded.
        await textContains(helper.backendUrlHint(), `Calls go to ${new URL(url).href}`);
        return { context, helper };
      },
    },
    {
      name: 'the JWT field, and claims inside a JWT',
      async run(canary) {
        const { context, helper } = await suite.open();
        await helper.jwt().fill(canary);
        await textContains(helper.jwtHint(), 'which a JWT never has');
        const claims = Buffer.from(JSON.stringify({ user_id: canary, exp: 9999999999 })).toString('base64url');
        await helper.jwt().fill(`e30.${claims}.sig`);
        await textContains(helper.jwtHint(), `Access token for user ${canary}`);
        return { context, helper };
      },
    },
  ];

  for (const place of places) {
    test(`${place.name}: ${CANARIES.length} canaries`, async () => {
      for (const canary of CANARIES) {
        await suite.standin.reset();
        const { context, helper } = await place.run(canary);
        await assertInert(helper);
        await context.close();
      }
    });
  }
});

describe('authorize links that must be refused', () => {
  const links = [
    ['javascript:', { auth_url: 'javascript:alert(document.domain)' }, 'not a valid web address'],
    ['data:', { auth_url: 'data:text/html,<script>alert(1)</script>' }, 'not a valid web address'],
    ['http://trakt.tv', { auth_url: 'http://trakt.tv/oauth/authorize?state=1' }, 'not https'],
    ['a look-alike host', { auth_url: 'https://trakt.tv.evil.example/oauth/authorize?state=1' }, 'does not lead to Trakt'],
    ['trakt.tv in the query', { auth_url: 'https://evil.example/?x=trakt.tv' }, 'does not lead to Trakt'],
    ['a userinfo trick', { auth_url: 'https://trakt.tv@evil.example/' }, 'behind “@”'],
    ['an empty auth_url', { auth_url: '' }, 'sent no authorize link'],
    ['no auth_url at all', { message: 'Visit this URL' }, 'sent no authorize link'],
  ];
  for (const [name, body, reason] of links) {
    test(name, async () => {
      await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body });
      const { context, helper } = await connected();
      const problem = await textContains(helper.authorizeProblem(), reason);
      assert.ok(problem.includes('What to do:'));
      assert.equal(await helper.authorizeLink().count(), 0);
      assert.equal(await helper.links().count(), 0, 'no link of any kind');
      const pending = await helper.page.evaluate(() => sessionStorage.getItem('trakt-helper.pending-state'));
      assert.equal(pending, null, 'no state is remembered for a refused link');
      await context.close();
    });
  }
});

describe('answers', () => {
  const statuses = [
    [400, { error: 'Something was wrong with the request' }, 'The backend said no (HTTP 400).'],
    [401, { detail: 'Authentication credentials were not provided.' }, 'refused the JWT'],
    [403, { detail: 'You do not have permission to perform this action.' }, 'The backend said no (HTTP 403).'],
    [404, { detail: 'Not found.' }, 'no such endpoint at this address'],
    [405, { detail: 'Method "GET" not allowed.' }, 'no such endpoint at this address'],
    [415, { detail: 'Unsupported media type "text/plain" in request.' }, 'The backend said no (HTTP 415).'],
    [429, { detail: 'Request was throttled. Expected available in 5 seconds.' }, 'The backend said no (HTTP 429).'],
    [500, { error: 'Unexpected error: boom' }, 'The backend failed (HTTP 500).'],
    [502, '<html><body>Bad Gateway</body></html>', 'The backend failed (HTTP 502) with a web page'],
    [503, '', 'The backend failed (HTTP 503) with an empty answer.'],
  ];
  for (const [status, body, expected] of statuses) {
    test(`HTTP ${status}: explained, with the backend's words, and "Check again" recovers`, async () => {
      const content_type = typeof body === 'string' ? 'text/html' : 'application/json';
      await suite.standin.fault({ path: '/trakt/auth-status/', times: 1, status, body, content_type });
      const { context, helper } = await connected();
      const problem = await textContains(helper.statusProblem(), expected);
      if (typeof body === 'object') assert.ok(problem.includes(Object.values(body)[0]), problem);
      assert.ok(problem.includes('What to do:'));
      await helper.checkAgainButton().click();
      await textContains(helper.status(), 'Not connected to Trakt.');
      assert.equal(await helper.statusProblem().count(), 0);
      await context.close();
    });
  }

  const bodies = [
    ['an HTML page with status 200', 'text/html', '<html><h1>Welcome to nginx!</h1></html>', 'answers with a web page (HTTP 200), not NowPlaying\'s API'],
    ['an empty body with status 200', 'application/json', '', 'with an empty answer (HTTP 200)'],
    ['JSON of the wrong shape', 'application/json', { authenticated: 'maybe' }, 'is not what this helper expects'],
    ['JSON that is not an object', 'application/json', '[1,2,3]', 'is not what this helper expects'],
  ];
  for (const [name, content_type, body, expected] of bodies) {
    test(`${name}: explained`, async () => {
      await suite.standin.fault({ path: '/trakt/auth-status/', status: 200, body, content_type });
      const { context, helper } = await connected();
      await textContains(helper.statusProblem(), expected);
      await context.close();
    });
  }

  test('a 5 MB error body is refused unread, said so, and the page stays responsive', async () => {
    const huge = 'A'.repeat(5 * 1024 * 1024);
    await suite.standin.fault({ path: '/trakt/auth-status/', times: 1, status: 400, body: { error: huge } });
    const { context, helper } = await connected();
    const problem = await textContains(helper.statusProblem(), 'The answer was not read: longer than 1024 KiB', { timeout: 20_000 });
    assert.ok(problem.length < 2_000, `shown ${problem.length} characters`);
    const started = Date.now();
    await helper.checkAgainButton().click();
    await textContains(helper.status(), 'Not connected to Trakt.');
    assert.ok(Date.now() - started < 5_000, 'the page still answers clicks');
    await context.close();
  });

  test('a backend that never answers times out after 15 seconds, with the button back', async () => {
    await suite.standin.fault({ path: '/trakt/auth-status/', times: 1, kind: 'hang' });
    const { context, helper } = await connected();
    await textContains(helper.status(), 'Checking');
    assert.equal(await helper.checkingButton().isDisabled(), true);
    await textContains(helper.statusProblem(), 'did not answer within 15 seconds', { timeout: 25_000 });
    assert.equal(await helper.checkStatusButton().isEnabled(), true);
    await context.close();
  });

  test('a backend that is down and then comes back: "Check again" works', async () => {
    const secret = 'same-key-after-restart';
    let backend = await startStandin(['--secret', secret]);
    const { url } = backend;
    const jwt = await backend.token();
    await backend.stop();
    const { context, helper } = await suite.open();
    await helper.connect({ backendUrl: url, jwt });
    await textContains(helper.statusProblem(), `Could not reach the backend at ${url}`);
    backend = await startStandin(['--secret', secret, '--listen', url.replace('http://', '')]);
    try {
      await helper.checkAgainButton().click();
      await textContains(helper.status(), 'Not connected to Trakt.');
    } finally {
      await backend.stop();
    }
    await context.close();
  });

  test('a backend whose CORS settings block this page: the message names the origin to allow', async () => {
    const strict = await startStandin(['--cors-origin', 'http://127.0.0.1:1']);
    try {
      const { context, helper } = await suite.open(suite.standin, '', { routeTrakt: false });
      await helper.connect({ backendUrl: strict.url, jwt: await strict.token() });
      const problem = await textContains(helper.statusProblem(), `Could not reach the backend at ${strict.url}`);
      assert.ok(problem.includes(`add ${suite.standin.url} to CORS_ALLOWED_ORIGINS`), problem);
      const reached = (await strict.stats()).requests.filter((r) => r.path === '/trakt/auth-status/');
      assert.deepEqual(
        reached.map((r) => r.method),
        ['OPTIONS'],
        'the preflight was refused, so the JWT never left the browser',
      );
      await context.close();
    } finally {
      await strict.stop();
    }
  });
});

describe('the return from trakt.tv', () => {
  // A code without this tab's nonce is checked as a pasted one: one no click could send is
  // refused on arrival.
  const returns = [
    ['a state that does not match', `?code=${hex64('a')}&state=2`, 'belongs to another user'],
    ['a double-encoded state', `?code=${hex64('a')}&state=%2531`, 'belongs to another user'],
    ['a state with a hidden character', `?code=${hex64('a')}&state=1%00`, 'belongs to another user'],
    ['another tab\'s nonce', `?code=${hex64('a')}&state=${'0123456789abcdef'.repeat(2)}`, 'no record of'],
    ['a state without a code', '?state=1', 'it has a state but no code'],
    ['two codes', `?code=${hex64('a')}&code=${hex64('b')}&state=1`, '“code” appears more than once'],
    ['a 10 KB code', `?code=${'a'.repeat(10 * 1024)}&state=1`, 'the code is far too long'],
    ['an empty code', '?code=&state=1', 'the code is empty'],
    ['a code in the fragment', `#code=${hex64('a')}&state=1`, 'after “#” instead of “?”'],
    ['a code with markup in it', '?code=%3Cb%3Ex%3C%2Fb%3E&state=1', 'characters no code has'],
  ];
  for (const [name, suffix, expected] of returns) {
    test(`${name}: explained, removed from the address, nothing sent`, async () => {
      const { context, helper } = await connected();
      await helper.authorizeLink().waitFor();
      // A fresh load, as a redirect from trakt.tv is (a fragment alone would not reload).
      await helper.page.goto('about:blank');
      await helper.open(suffix);
      const problem = await textContains(helper.callbackProblem(), expected);
      assert.ok(problem.includes('What to do:'));
      assert.equal(helper.address(), `${suite.standin.url}/`);
      assert.equal(await suite.callbackPosts(), 0);
      await context.close();
    });
  }

  test('HTML in an access_denied description is text', async () => {
    const description = '<b>Denied</b> <a href="https://evil.example">click here</a>';
    const query = new URLSearchParams({ error: 'access_denied', error_description: description, state: '1' });
    const { context, helper } = await suite.open(suite.standin, `?${query}`);
    await textContains(helper.callbackProblem(), description);
    assert.equal(await helper.links('https://evil.example').count(), 0);
    await context.close();
  });
});

describe('sending once', () => {
  async function authorizeAndCatchReturn(helper, { double = false } = {}) {
    let returnUrl;
    helper.page.on('framenavigated', (frame) => {
      if (frame === helper.page.mainFrame() && frame.url().includes('code=')) returnUrl = frame.url();
    });
    if (double) {
      await helper.authorizeLink().dblclick();
      await helper.approveOnTrakt().click();
      await helper.heading().waitFor();
    } else {
      await helper.authorize();
    }
    await textContains(helper.callbackResult(), 'Trakt is connected.');
    return returnUrl;
  }

  test('a double click on the authorize link still sends one code once', async () => {
    const { context, helper } = await connected();
    await authorizeAndCatchReturn(helper, { double: true });
    assert.equal(await suite.callbackPosts(), 1);
    await context.close();
  });

  test('reload, Back and the same address in a new tab after success send nothing more', async () => {
    const { context, helper } = await connected();
    const returnUrl = await authorizeAndCatchReturn(helper);
    assert.ok(returnUrl?.includes('code='), 'the browser came back with a code');
    await helper.page.reload();
    await textContains(helper.status(), 'Connected');
    await helper.page.goBack();
    await helper.page.waitForLoadState();
    const again = new HelperPage(await context.newPage(), returnUrl);
    await again.open();
    await textContains(again.callbackProblem(), 'no record of');
    assert.equal(new URL(again.address()).search, '', 'the new tab cleaned its address too');
    assert.equal(await suite.callbackPosts(), 1);
    await context.close();
  });
});

describe('the JWT', () => {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = part({ alg: 'HS256', typ: 'JWT' });
  const cases = [
    ['not three parts', 'abc.def', 'This is not a JWT'],
    ['bad base64', `${header}.a.sig`, 'cannot be read'],
    ['a character no JWT has', `${header}.${part({ user_id: 1 })}.sig@`, 'contains “@”'],
    ['not JSON', `${header}.${Buffer.from('not json').toString('base64url')}.sig`, 'cannot be read'],
    ['an exp in the past', `${header}.${part({ token_type: 'access', exp: 1000, user_id: 1 })}.sig`, 'This JWT has expired.'],
    ['a refresh token', null, 'This is a refresh token'],
  ];
  for (const [name, jwt, expected] of cases) {
    test(`${name}: said on the page before anything is sent`, async () => {
      const token = jwt ?? (await suite.standin.token({ kind: 'refresh' }));
      const { context, helper } = await suite.open();
      await helper.jwt().fill(token);
      await textContains(helper.jwtHint(), expected);
      await helper.checkStatusButton().click();
      await textContains(helper.statusProblem(), expected);
      assert.deepEqual(await suite.traktRequests(), []);
      await context.close();
    });
  }
});

describe('guarantees', () => {
  test('the JWT and the code reach only the backend, never the address bar, the console or another host', async () => {
    const { context, helper } = await suite.open();
    const requests = [];
    context.on('request', async (request) => {
      requests.push({ url: request.url(), method: request.method(), headers: await request.allHeaders(), body: request.postData() });
    });
    const jwt = await suite.standin.token();
    await helper.connect({ jwt });
    await helper.authorize();
    await textContains(helper.status(), 'Connected');
    const [code] = Object.keys((await suite.standin.stats()).callback_posts_by_code);
    assert.ok(code);
    assertNoLeak(helper, jwt, code);

    for (const request of requests) {
      const origin = new URL(request.url).origin;
      assert.ok([suite.standin.url, 'https://api.trakt.tv'].includes(origin), `request to ${request.url}`);
      assert.ok(!request.url.includes(jwt), `JWT in ${request.url}`);
      assert.ok(!(request.headers.referer ?? '').includes(code), `code in the Referer of ${request.url}`);
      const withJwt = Object.values(request.headers).some((v) => v.includes(jwt));
      if (withJwt) {
        assert.equal(request.headers.authorization, `Bearer ${jwt}`);
        assert.ok(request.url.startsWith(`${suite.standin.url}/trakt/`), `JWT sent to ${request.url}`);
      }
      if (origin === 'https://api.trakt.tv') assert.equal(request.headers.authorization, undefined);
    }
    const withCode = requests.filter((r) => r.url.includes(code) || (r.body ?? '').includes(code));
    assert.deepEqual(
      withCode.map((r) => `${r.method} ${new URL(r.url).pathname}`),
      ['GET /', 'POST /trakt/oauth-callback/'],
      'the code arrives once in the address and leaves once, to the backend',
    );
    await context.close();
  });

  test('the Content-Security-Policy forbids inline script and limits connections to the backend', async () => {
    const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
    assert.match(html, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(
      html,
      /<script(?![^>]*\bsrc=)(?![^>]*type="?importmap)[^>]*>/,
      'no inline script in index.html but the import map, which the CSP names by its hash',
    );

    const { context, helper } = await connected();
    await textContains(helper.status(), 'Not connected to Trakt.');
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
    await context.close();
  });

  test('a crash shows a visible "reload" notice instead of a dead page', async () => {
    const { context, helper } = await suite.open();
    // Make the browser's date formatting throw inside the page's code.
    await helper.page.evaluate(() => {
      Date.prototype.toLocaleString = () => {
        throw new Error('broken Intl');
      };
    });
    const jwt = await suite.standin.token();
    await suite.standin.setUser({ user: 'alice', trakt_connected: true });
    await helper.connect({ jwt });
    await textContains(helper.crashNotice(), 'Reload the page to start again');
    await context.close();
  });
});

describe('round two', () => {
  const hostileHttp = (url, requestPath, headers = {}) =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const request = http.get({ hostname, port, path: requestPath, headers }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
      });
      request.on('error', reject);
    });
  /** A JWT whose claims are `payload` (JSON text), signed by nobody. */
  const unsignedJwt = (payload) => {
    const part = (text) => Buffer.from(text).toString('base64url');
    return `${part('{"alg":"HS256","typ":"JWT"}')}.${part(payload)}.c2ln`;
  };
  const trakt = async () => (await suite.traktRequests()).map((r) => `${r.method} ${r.path}`);

  test('1. a JWT with a character a header cannot carry is refused, never stored, and the page lives on', async () => {
    const { context, helper } = await suite.open();
    await helper.rememberBox().check();
    await helper.connect({ jwt: `${await suite.standin.token()}…` });
    await textContains(helper.statusProblem(), 'contains “…”');
    await textContains(helper.jwtHint(), 'contains “…”');
    assert.equal(await helper.crashNotice().count(), 0, 'no crash');
    const stored = await helper.stored();
    assert.equal(stored.local['trakt-helper.remembered-jwt'], undefined, 'not stored');
    assert.equal(stored.session['trakt-helper.jwt'], undefined, 'not stored');
    assert.deepEqual(await trakt(), [], 'nothing sent');
    await helper.page.reload();
    await helper.jwt().waitFor();
    assert.equal(await helper.crashNotice().count(), 0, 'the next visit starts');
    await context.close();
  });

  test('1. the crash notice offers a way out that clears what the page stored', async () => {
    const { context, helper } = await suite.open();
    await helper.rememberBox().check();
    await helper.jwt().fill(await suite.standin.token());
    await helper.page.evaluate(() => {
      Date.prototype.toLocaleString = () => {
        throw new Error('broken Intl');
      };
    });
    await suite.standin.setUser({ user: 'alice', trakt_connected: true });
    await helper.checkStatusButton().click();
    await helper.crashForget().click();
    await helper.page.waitForLoadState();
    await helper.jwt().waitFor();
    assert.deepEqual(await helper.stored(), { local: {}, session: {} });
    assert.equal(await helper.jwt().inputValue(), '');
    await context.close();
  });

  test('2. two tabs holding the same return send its code exactly once', async () => {
    const { context, helper } = await connected();
    const nonce = await helper.followLinkInPlace();
    // A tab opened from the page shares its tab storage: the JWT and the pending
    // authorization with its nonce.
    const [opened] = await Promise.all([
      context.waitForEvent('page'),
      helper.page.evaluate(() => window.open(location.href)),
    ]);
    await opened.waitForLoadState();
    const second = new HelperPage(opened, `${suite.standin.url}/`);
    const back = await suite.standin.approvedElsewhere();
    const address = `${suite.standin.url}/?code=${back.code}&state=${nonce}`;
    await Promise.all([helper.page.goto(address), second.page.goto(address)]);
    const outcomes = await eventually(async () => {
      const texts = await Promise.all(
        [helper, second].map((tab) => tab.resultCard().textContent({ timeout: 1000 })),
      );
      assert.ok(texts.every((text) => !text.includes('Finishing')), texts.join(' | '));
      return texts;
    });
    assert.equal(await suite.callbackPosts(), 1, outcomes.join(' | '));
    assert.equal(outcomes.filter((text) => text.includes('Trakt is connected.')).length, 1, outcomes.join(' | '));
    assert.equal(outcomes.filter((text) => text.includes('already sent from this page')).length, 1, outcomes.join(' | '));
    await context.close();
  });

  test('3. the stand-in serves only files under its folder, and shares none with other origins', async () => {
    for (const sneaky of ['//etc/hostname', '///etc/hostname', '/..//etc/hostname', '/%2e%2e/%2e%2e/etc/hostname']) {
      const answer = await hostileHttp(suite.standin.url, sneaky, { origin: 'http://evil.example' });
      assert.equal(answer.status, 404, sneaky);
      assert.equal(answer.headers['access-control-allow-origin'], undefined, sneaky);
    }
    const page = await hostileHttp(suite.standin.url, '/', { origin: 'http://evil.example' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['access-control-allow-origin'], undefined, 'the page is not shared cross-origin');
  });

  test('4. the promise comes from the link: its own redirect_uri, whatever the answer says', async () => {
    const evil = 'https://evil.example/steal';
    const body = {
      auth_url: `https://api.trakt.tv/oauth/authorize?response_type=code&client_id=alice-client&redirect_uri=${encodeURIComponent(evil)}&state=1`,
      redirect_uri: `${suite.standin.url}/`,
    };
    await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body, times: 1 });
    const { context, helper } = await connected();
    const notice = await textContains(helper.redirectCheck(), 'Trakt will send the code to');
    assert.ok(notice.includes(evil), notice);
    assert.ok(!notice.includes('send you back to this page'), notice);
    await context.close();
  });

  for (const name of ['redirect_uri', 'client_id', 'state', 'response_type']) {
    test(`4. a link naming ${name} twice is refused`, async () => {
      const auth_url = `https://api.trakt.tv/oauth/authorize?response_type=code&client_id=alice-client&redirect_uri=${encodeURIComponent(`${suite.standin.url}/`)}&state=1&${name}=other`;
      await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body: { auth_url } });
      const { context, helper } = await connected();
      await textContains(helper.authorizeProblem(), `names “${name}” more than once`);
      assert.equal(await helper.authorizeLink().count(), 0);
      await context.close();
    });
  }

  test('5. the loopback exception is exactly the stand-in\'s /oauth/authorize at the backend\'s origin', async () => {
    for (const [link, shown] of [
      [`${suite.standin.url}/steal/oauth/authorize?state=1`, 'not Trakt\'s authorize page'],
      [`${suite.standin.url}/oauth/authorize/?state=1`, 'not Trakt\'s authorize page'],
    ]) {
      await suite.standin.reset();
      await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body: { auth_url: link } });
      const { context, helper } = await connected();
      await textContains(helper.authorizeProblem(), shown);
      assert.equal(await helper.authorizeLink().count(), 0, link);
      await context.close();
    }
    await suite.standin.reset();
    const exact = `${suite.standin.url}/oauth/authorize?response_type=code&state=1`;
    await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body: { auth_url: exact } });
    const { context, helper } = await connected();
    await textContains(helper.standinNotice(), 'stand-in authorize page');
    // The same link, with this tab's nonce as its state.
    const href = await helper.authorizeLink().getAttribute('href');
    assert.match(href, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?response_type=code&state=[0-9a-f]{32}$/);
    assert.ok(href.startsWith(exact.replace('state=1', 'state=')), href);
    await context.close();
  });

  test('6. the code leaves the address bar even when the page is served at a path starting with //', async () => {
    const { context, helper } = await suite.open();
    await helper.page.goto(`${suite.standin.url}//?code=${hex64('d')}&state=1`);
    await textContains(helper.callbackProblem(), 'no JWT on this page');
    const address = new URL(helper.address());
    assert.equal(address.pathname, '//');
    assert.equal(address.search, '', 'no code in the address bar');
    assert.equal(await suite.callbackPosts(), 0);
    await context.close();
  });

  test('6. when the browser will not clean the address, the page says so', async () => {
    const { context, helper } = await suite.open();
    await context.addInitScript(() => {
      History.prototype.replaceState = () => {
        throw new DOMException('refused', 'SecurityError');
      };
    });
    await helper.open(`?code=${hex64('e')}&state=1`);
    await textContains(helper.addressLeft(), 'would not remove the code from the address bar');
    await context.close();
  });

  describe('7. tokens belong to the backend that issued them', () => {
    let other;
    before(async () => {
      other = await startStandin();
    });
    after(() => other?.stop());

    test('switching backends drops the signed-in tokens and the status; the new backend never gets the old refresh token', async () => {
      await suite.standin.setUser({ user: 'alice', trakt_connected: true });
      const { context, helper } = await suite.open();
      await helper.signIn('alice', 'alice-password');
      await textContains(helper.status(), 'Connected');
      await helper.backendUrl().fill(other.url);
      await helper.backendUrl().press('Tab');
      await eventually(async () => assert.ok(!(await helper.status().textContent()).includes('Connected')));
      await helper.jwt().waitFor();
      assert.equal(await helper.jwt().inputValue(), '', 'the JWT the old backend issued is gone');
      const stored = await helper.stored();
      assert.equal(stored.session['trakt-helper.refresh-jwt'], undefined, 'the old refresh token is gone');
      assert.equal(stored.session['trakt-helper.signed-in-as'], undefined);
      await helper.connect({ jwt: await other.token({ expired: true }) });
      await textContains(helper.statusProblem(), 'This JWT has expired.');
      const refreshes = (await other.stats()).requests.filter((r) => r.path === '/auth/token/refresh/');
      assert.deepEqual(refreshes, [], 'no refresh token went to the new backend');
      await context.close();
    });
  });

  test('8. Forget in one tab reaches every open tab', async () => {
    const { context, helper } = await suite.open();
    await helper.rememberBox().check();
    await helper.connect({ jwt: await suite.standin.token() });
    await textContains(helper.status(), 'Not connected to Trakt.');
    const second = new HelperPage(await context.newPage(), `${suite.standin.url}/`);
    await second.open();
    await eventually(async () => assert.match(await second.jwt().inputValue(), /^eyJ/));
    await second.forget();
    await eventually(async () => assert.equal(await helper.jwt().inputValue(), ''));
    // Typing in the first tab afterwards writes no token back.
    await helper.backendUrl().fill(`${suite.standin.url}/`);
    await helper.page.waitForTimeout(200);
    const left = await helper.stored();
    assert.equal(left.local['trakt-helper.remembered-jwt'], undefined);
    assert.equal(left.session['trakt-helper.jwt'], undefined);
    await context.close();
  });

  test('9. an exp near the end of time is refused, not sent', async () => {
    const { context, helper } = await suite.open();
    await helper.connect({ jwt: unsignedJwt('{"token_type":"access","exp":9223372036854775807,"user_id":1}') });
    await textContains(helper.statusProblem(), 'not a real date');
    assert.deepEqual(await trakt(), []);
    await context.close();
  });

  test('9. an expires_at with an impossible offset is shown as the backend wrote it, not as a date', async () => {
    const expires = '2027-01-01T00:00:00+99:99';
    await suite.standin.fault({ path: '/trakt/auth-status/', status: 200, body: { authenticated: true, token_expired: false, expires_at: expires } });
    const { context, helper } = await connected();
    const status = await textContains(helper.status(), `expires ${expires}.`);
    assert.doesNotMatch(status, /\(in \d+ days?\)/);
    await context.close();
  });

  test('9. a backend at an IPv6 address is refused with the reason, not blamed on reachability', async () => {
    const port = new URL(suite.standin.url).port;
    const { context, helper } = await suite.open();
    await helper.connect({ backendUrl: `http://[::1]:${port}`, jwt: await suite.standin.token() });
    const problem = await textContains(helper.statusProblem(), 'IPv6');
    assert.ok(problem.includes('127.0.0.1'), problem);
    assert.ok(!problem.includes('Could not reach'), problem);
    await context.close();
  });

  test('10. framed by another page, the page reads nothing and offers nothing to click', async () => {
    const context = await newContext(suite.browser, suite.standin);
    const helperUrl = `${suite.standin.url}/`;
    const setup = await context.newPage();
    await setup.goto(helperUrl);
    await setup.evaluate(async ([jwt, backend]) => {
      localStorage.setItem('trakt-helper.remember-jwt', '1');
      localStorage.setItem('trakt-helper.remembered-jwt', JSON.stringify({ token: jwt, backend }));
    }, [await suite.standin.token(), suite.standin.url]);
    await setup.close();
    await suite.standin.reset();
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
    await textContains(HelperPage.framedNotice(frame), 'does not work inside another page');
    assert.equal(await HelperPage.controls(frame).count(), 0, 'nothing to click or read');
    await page.waitForTimeout(500);
    assert.deepEqual(await trakt(), [], 'no authenticated call');
    await context.close();
  });
});

describe('round two, after review', () => {
  const part = (text) => Buffer.from(text).toString('base64url');

  test('a JWT pasted after signing in is never renewed with the earlier user\'s refresh token', async () => {
    const { context, helper } = await suite.open();
    await helper.signIn('alice', 'alice-password');
    await textContains(helper.status(), 'Not connected to Trakt.');
    await helper.connect({ jwt: await suite.standin.token({ user: 'bob', expired: true }) });
    await textContains(helper.statusProblem(), 'This JWT has expired.');
    const refreshes = (await suite.standin.stats()).requests.filter((r) => r.path === '/auth/token/refresh/');
    assert.deepEqual(refreshes, [], 'alice\'s refresh token was not used for bob\'s JWT');
    const stored = await helper.stored();
    assert.equal(stored.session['trakt-helper.refresh-jwt'], undefined);
    assert.equal(stored.session['trakt-helper.signed-in-as'], undefined);
    await context.close();
  });

  test('Forget wins over a sign-in still under way', async () => {
    const access = await suite.standin.token();
    const refresh = await suite.standin.token({ kind: 'refresh' });
    const body = { user: { id: 1, username: 'alice', email: 'a@x' }, access, refresh };
    await suite.standin.fault({ method: 'POST', path: '/auth/login/', status: 200, body, delay_ms: 1500, times: 1 });
    const { context, helper } = await suite.open();
    await helper.signIn('alice', 'alice-password');
    await helper.forget();
    await helper.page.waitForTimeout(2500);
    assert.deepEqual(await helper.storedBesidesEpoch(), { local: {}, session: {} });
    assert.equal(await helper.jwt().inputValue(), '');
    assert.deepEqual(await suite.traktRequests(), [], 'no status or link asked for after Forget');
    await context.close();
  });

  test('a code sent before Forget is not sent again after it', async () => {
    const { context, helper } = await connected();
    let returnUrl;
    helper.page.on('framenavigated', (frame) => {
      if (frame === helper.page.mainFrame() && frame.url().includes('code=')) returnUrl = frame.url();
    });
    await helper.authorize();
    await textContains(helper.callbackResult(), 'Trakt is connected.');
    await helper.forget();
    await helper.connect({ jwt: await suite.standin.token() });
    await textContains(helper.status(), 'Connected');
    await helper.authorizeAgainButton().click();
    const nonce = await helper.followLinkInPlace();
    // The same code, coming back to this tab's new authorization.
    const code = new URL(returnUrl).searchParams.get('code');
    await helper.page.goto(`${suite.standin.url}/?code=${code}&state=${nonce}`);
    await textContains(helper.callbackProblem(), 'already sent from this page');
    assert.equal(await suite.callbackPosts(), 1);
    await context.close();
  });

  for (const [name, state, shown] of [
    ['another user', '&state=2', 'is for user “2”'],
    ['no state', '', 'carries no “state”'],
  ]) {
    test(`a link whose return would be refused (${name}) is not offered`, async () => {
      const auth_url = `https://api.trakt.tv/oauth/authorize?response_type=code&client_id=alice-client&redirect_uri=${encodeURIComponent(`${suite.standin.url}/`)}${state}`;
      await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body: { auth_url } });
      const { context, helper } = await connected();
      await textContains(helper.authorizeProblem(), shown);
      assert.equal(await helper.authorizeLink().count(), 0);
      await context.close();
    });
  }

  test('a link that asks Trakt for no code is not offered', async () => {
    const auth_url = `https://api.trakt.tv/oauth/authorize?client_id=alice-client&redirect_uri=${encodeURIComponent(`${suite.standin.url}/`)}&state=1`;
    await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body: { auth_url } });
    const { context, helper } = await connected();
    await textContains(helper.authorizeProblem(), 'asks Trakt for “nothing” instead of a code');
    assert.equal(await helper.authorizeLink().count(), 0);
    await context.close();
  });

  test('a connected token whose expiry has passed says so instead of "expires … ago"', async () => {
    const expires_at = new Date(Date.now() - 120_000).toISOString();
    await suite.standin.fault({ path: '/trakt/auth-status/', status: 200, body: { authenticated: true, token_expired: false, expires_at } });
    const { context, helper } = await connected();
    const status = await textContains(helper.status(), 'expiry has passed');
    assert.match(status, /ago\)/);
    await context.close();
  });

  for (const remember of [false, true]) {
    test(`a tab coming back from Trakt finishes with its own backend and JWT, whatever another tab chose since${remember ? ' (Remember on)' : ''}`, async () => {
      const other = await startStandin();
      try {
        const { context, helper } = await suite.open();
        if (remember) await helper.rememberBox().check();
        await helper.signIn('alice', 'alice-password');
        await helper.authorizeLink().click();
        await helper.traktHeading().waitFor();
        // Meanwhile, in a second tab, the person points the page at another backend.
        const second = new HelperPage(await context.newPage(), `${suite.standin.url}/`);
        await second.open();
        await second.backendUrl().fill(other.url);
        await second.backendUrl().press('Tab');
        await second.page.waitForLoadState();
        await helper.approveOnTrakt().click();
        await textContains(helper.callbackResult(), 'Trakt is connected.');
        assert.equal(await helper.backendUrl().inputValue(), suite.standin.url);
        assert.equal(await suite.callbackPosts(), 1);
        assert.equal((await other.stats()).callback_posts, 0);
        await context.close();
      } finally {
        await other.stop();
      }
    });
  }
});

describe('round three: every request an action, after review', () => {
  const withJwt = async (standin) => (await standin.stats()).requests.filter((r) => r.authorization);

  test('Forget ends what is under way: a slow status, link or doctor never writes or asks again', async () => {
    for (const slow of ['/trakt/auth-status/', '/auth/current-user/']) {
      await suite.standin.reset();
      await suite.standin.fault({ method: 'GET', path: slow, status: 200, body: { authenticated: false, id: 1, username: 'alice' }, delay_ms: 1500, times: 1 });
      const { context, helper } = await connected();
      if (slow === '/auth/current-user/') await helper.runDoctor();
      await helper.page.waitForTimeout(300);
      await helper.forget();
      const asked = (await withJwt(suite.standin)).length;
      await helper.page.waitForTimeout(2500);
      assert.deepEqual(await helper.storedBesidesEpoch(), { local: {}, session: {} }, `nothing written back (${slow})`);
      assert.equal((await withJwt(suite.standin)).length, asked, `nothing asked with the old JWT (${slow})`);
      await context.close();
    }
  });

  test('a double click on “Use this code” sends the code once and connects', async () => {
    const { context, helper } = await connected();
    await textContains(helper.status(), 'Not connected to Trakt.');
    const { address, code } = await suite.standin.approvedElsewhere();
    await helper.paste(address, { double: true });
    await textContains(helper.callbackResult(), 'Trakt is connected.');
    assert.deepEqual((await suite.standin.stats()).callback_posts_by_code, { [code]: 1 });
    await context.close();
  });

  test('another user\'s JWT drops the status and the link shown for the first', async () => {
    const { context, helper } = await connected();
    await helper.authorizeLink().waitFor();
    await helper.jwt().fill(await suite.standin.token({ user: 'bob' }));
    await textContains(helper.status(), 'Not checked yet');
    assert.equal(await helper.authorizeLink().count(), 0);
    await context.close();
  });

  test('a credentials form opened by hand stays open through a status check', async () => {
    const { context, helper } = await connected();
    await textContains(helper.status(), 'Not connected to Trakt.');
    await helper.openCredentials();
    await helper.clientId().fill('typed-while-checking');
    await helper.checkAgainButton().click();
    await textContains(helper.status(), 'Not connected to Trakt.');
    await helper.authorizeLink().waitFor();
    assert.equal(await helper.credentialsForm().evaluate((details) => details.open), true);
    assert.equal(await helper.clientId().inputValue(), 'typed-while-checking');
    await context.close();
  });

  test('after Forget the page says so and the keyboard starts again at the Backend URL', async () => {
    const { context, helper } = await connected();
    await helper.forgetButton().focus();
    await helper.page.keyboard.press('Enter');
    await textContains(helper.forgottenNotice(), 'Forgotten');
    await helper.page.waitForFunction(() => document.activeElement?.id === 'backend-url');
    assert.equal(await helper.focusedId(), 'backend-url');
    await context.close();
  });

  describe('with a second backend', () => {
    let other;
    before(async () => {
      other = await startStandin();
    });
    after(() => other?.stop());

    test('a JWT remembered for one backend is never sent to another from a new tab', async () => {
      await other.reset();
      const { context, helper } = await suite.open();
      await helper.backendUrl().fill(other.url);
      await helper.rememberBox().check();
      await helper.signIn('alice', 'alice-password');
      await textContains(helper.status(), 'Not connected to Trakt.');
      // A new tab starts from what this device remembers: the backend and its JWT. That
      // backend is down for a moment, so the new tab never learns the JWT is its.
      await other.fault({ method: 'GET', path: '/trakt/auth-status/', kind: 'drop', times: 1 });
      const tab = new HelperPage(await context.newPage(), `${suite.standin.url}/`);
      await tab.open();
      await helper.page.close();
      assert.equal(await tab.backendUrl().inputValue(), other.url);
      await textContains(tab.status(), 'Could not check');
      await tab.backendUrl().fill(suite.standin.url);
      await tab.checkStatusButton().click();
      await tab.page.waitForTimeout(500);
      assert.deepEqual(await withJwt(suite.standin), [], 'the page\'s own backend got no JWT');
      await context.close();
    });

    test('a sign-in still under way at the old backend is dropped when the backend changes', async () => {
      await other.reset();
      const access = await other.token();
      const refresh = await other.token({ kind: 'refresh' });
      const body = { user: { id: 1, username: 'alice', email: 'a@x' }, access, refresh };
      await other.fault({ method: 'POST', path: '/auth/login/', status: 200, body, delay_ms: 1500, times: 1 });
      const { context, helper } = await suite.open();
      await helper.backendUrl().fill(other.url);
      await helper.signIn('alice', 'alice-password');
      await helper.page.waitForTimeout(300);
      await helper.backendUrl().fill(suite.standin.url);
      const bob = await suite.standin.token({ user: 'bob' });
      await helper.jwt().fill(bob);
      await helper.page.waitForTimeout(2500);
      assert.equal(await helper.jwt().inputValue(), bob, 'the JWT typed for this backend stays');
      assert.equal(await helper.signInDone().count(), 0);
      await context.close();
    });
  });
});

