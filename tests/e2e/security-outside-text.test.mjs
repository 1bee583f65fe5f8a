// Outside text is only ever text: whatever the backend answers, the address bar carries or a
// person types, shown on the page it runs nothing and becomes no markup.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { base64url } from './support/jwt.mjs';
import { scope } from './support/scope.mjs';
import { helperSuite } from './support/suite.mjs';
import { textContains } from './support/wait.mjs';

const suite = helperSuite();

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

describe('canaries in every outside string show as text and never run', () => {
  // Each place shows `canary` on a helper opened for `owner`, and returns that helper.
  const places = [
    {
      name: 'backend "error"',
      async run(owner, canary) {
        await suite.standin.fault({ path: '/trakt/authenticate/', status: 400, body: { error: canary } });
        const { helper } = await suite.connected(owner);
        await textContains(helper.authorizeProblem(), canary);
        return helper;
      },
    },
    {
      name: 'backend "detail"',
      async run(owner, canary) {
        await suite.standin.fault({ path: '/trakt/auth-status/', status: 401, body: { detail: canary } });
        const { helper } = await suite.connected(owner);
        await textContains(helper.statusProblem(), canary);
        return helper;
      },
    },
    {
      name: 'backend field-error map',
      async run(owner, canary) {
        await suite.standin.fault({ path: '/trakt/authenticate/', status: 400, body: { client_id: [canary] } });
        const { helper } = await suite.connected(owner);
        await textContains(helper.authorizeProblem(), `client_id: ${canary}`);
        return helper;
      },
    },
    {
      name: 'backend "expires_at"',
      async run(owner, canary) {
        const body = { authenticated: true, token_expired: false, expires_at: canary };
        await suite.standin.fault({ path: '/trakt/auth-status/', status: 200, body });
        const { helper } = await suite.connected(owner);
        await textContains(helper.status(), `Connected — the Trakt token expires ${canary}`);
        return helper;
      },
    },
    {
      name: 'backend "message" and "expires_at" after the exchange',
      async run(owner, canary) {
        const body = { success: true, message: canary, expires_at: canary };
        await suite.standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', status: 200, body });
        const { helper } = await suite.connected(owner);
        await helper.authorize();
        await textContains(helper.callbackMessage(), canary);
        await textContains(helper.callbackResult(), `expires ${canary}`);
        return helper;
      },
    },
    {
      name: 'a refused authorize link',
      async run(owner, canary) {
        const body = { auth_url: `https://evil.example/${canary}` };
        await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body });
        const { helper } = await suite.connected(owner);
        await textContains(helper.authorizeProblem(), canary);
        return helper;
      },
    },
    {
      name: '"error" and "error_description" in the address bar',
      async run(owner, canary) {
        const query = new URLSearchParams({ error: canary, error_description: canary });
        const { helper } = await suite.open(owner, suite.standin, `?${query}`);
        await textContains(helper.callbackProblem(), `Trakt sent back an error: ${canary}`);
        return helper;
      },
    },
    {
      name: '"state" in the address bar',
      async run(owner, canary) {
        const { helper } = await suite.connected(owner);
        await helper.authorizeLink().waitFor();
        await helper.open(`?${new URLSearchParams({ code: 'c'.repeat(64), state: canary })}`);
        await textContains(helper.callbackProblem(), `state ${canary}`);
        return helper;
      },
    },
    {
      name: 'the backend URL field',
      async run(owner, canary) {
        const { helper } = await suite.open(owner);
        const url = `http://127.0.0.1:9/${canary.replaceAll(' ', '/')}`;
        await helper.backendUrl().fill(url);
        // Read by the URL standard, as the browser will call it: the path comes percent-encoded.
        await textContains(helper.backendUrlHint(), `Calls go to ${new URL(url).href}`);
        return helper;
      },
    },
    {
      name: 'the JWT field, and claims inside a JWT',
      async run(owner, canary) {
        const { helper } = await suite.open(owner);
        await helper.jwt().fill(canary);
        await textContains(helper.jwtHint(), 'which a JWT never has');
        const claims = base64url({ user_id: canary, exp: 9999999999 });
        await helper.jwt().fill(`e30.${claims}.sig`);
        await textContains(helper.jwtHint(), `Access token for user ${canary}`);
        return helper;
      },
    },
  ];

  for (const place of places) {
    test(`${place.name}: ${CANARIES.length} canaries`, async () => {
      for (const canary of CANARIES) {
        await suite.standin.reset();
        await scope(async (owner) => assertInert(await place.run(owner, canary)));
      }
    });
  }
});

describe('markup from Trakt', () => {
  test('HTML in an access_denied description is text', async (t) => {
    const description = '<b>Denied</b> <a href="https://evil.example">click here</a>';
    const query = new URLSearchParams({ error: 'access_denied', error_description: description, state: '1' });
    const { helper } = await suite.open(t, suite.standin, `?${query}`);
    await textContains(helper.callbackProblem(), description);
    assert.equal(await helper.links('https://evil.example').count(), 0);
  });
});
