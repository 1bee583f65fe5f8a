// Outside text is only ever text: whatever the backend answers, the address bar carries or a
// person types, shown on the page it runs nothing and becomes no markup.
import assert from 'node:assert/strict';
import { base64url } from './support/jwt.mjs';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

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
  // Each place shows `canary` on a helper opened with `opened` (a scope's openers), and returns that helper.
  const places = [
    {
      name: 'backend "error"',
      async run({ standin, open, connected }, canary) {
        await standin.fault({ path: '/trakt/authenticate/', status: 400, body: { error: canary } });
        const { helper } = await connected();
        await expect(helper.authorizeProblem()).toContainText(canary);
        return helper;
      },
    },
    {
      name: 'backend "detail"',
      async run({ standin, open, connected }, canary) {
        await standin.fault({ path: '/trakt/auth-status/', status: 401, body: { detail: canary } });
        const { helper } = await connected();
        await expect(helper.statusProblem()).toContainText(canary);
        return helper;
      },
    },
    {
      name: 'backend field-error map',
      async run({ standin, open, connected }, canary) {
        await standin.fault({ path: '/trakt/authenticate/', status: 400, body: { client_id: [canary] } });
        const { helper } = await connected();
        await expect(helper.authorizeProblem()).toContainText(`client_id: ${canary}`);
        return helper;
      },
    },
    {
      name: 'backend "expires_at"',
      async run({ standin, open, connected }, canary) {
        const body = { authenticated: true, token_expired: false, expires_at: canary };
        await standin.fault({ path: '/trakt/auth-status/', status: 200, body });
        const { helper } = await connected();
        await expect(helper.status()).toContainText(`Connected — the Trakt token expires ${canary}`);
        return helper;
      },
    },
    {
      name: 'backend "message" and "expires_at" after the callback',
      async run({ standin, open, connected }, canary) {
        const body = { success: true, message: canary, expires_at: canary };
        await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', status: 200, body });
        const { helper } = await connected();
        await helper.authorize();
        await expect(helper.callbackMessage()).toContainText(canary);
        await expect(helper.callbackResult()).toContainText(`expires ${canary}`);
        return helper;
      },
    },
    {
      name: 'a refused authorize link',
      async run({ standin, open, connected }, canary) {
        const body = { auth_url: `https://evil.example/${canary}` };
        await standin.fault({ path: '/trakt/authenticate/', status: 200, body });
        const { helper } = await connected();
        await expect(helper.authorizeProblem()).toContainText(canary);
        return helper;
      },
    },
    {
      name: '"error" and "error_description" in the address bar',
      async run({ standin, open, connected }, canary) {
        const query = new URLSearchParams({ error: canary, error_description: canary });
        const { helper } = await open(standin, `?${query}`);
        await expect(helper.callbackProblem()).toContainText(`Trakt sent back an error: ${canary}`);
        return helper;
      },
    },
    {
      name: '"state" in the address bar',
      async run({ standin, open, connected }, canary) {
        const { helper } = await connected();
        await helper.authorizeLink().waitFor();
        await helper.open(`?${new URLSearchParams({ code: 'c'.repeat(64), state: canary })}`);
        await expect(helper.callbackProblem()).toContainText(`state ${canary}`);
        return helper;
      },
    },
    {
      name: 'the backend URL field',
      async run({ standin, open, connected }, canary) {
        const { helper } = await open();
        const url = `http://127.0.0.1:9/${canary.replaceAll(' ', '/')}`;
        await helper.backendUrl().fill(url);
        // Read by the URL standard, as the browser will call it: the path comes percent-encoded.
        await expect(helper.backendUrlHint()).toContainText(`Calls go to ${new URL(url).href}`);
        return helper;
      },
    },
    {
      name: 'the JWT field, and claims inside a JWT',
      async run({ standin, open, connected }, canary) {
        const { helper } = await open();
        await helper.jwt().fill(canary);
        await expect(helper.jwtHint()).toContainText('which a JWT never has');
        const claims = base64url({ user_id: canary, exp: 9999999999 });
        await helper.jwt().fill(`e30.${claims}.sig`);
        await expect(helper.jwtHint()).toContainText(`Access token for user ${canary}`);
        return helper;
      },
    },
  ];

  for (const place of places) {
    test(`${place.name}: ${CANARIES.length} canaries`, async ({ standin, scope }) => {
      for (const canary of CANARIES) {
        await standin.reset();
        await scope(async (opened) => assertInert(await place.run(opened, canary)));
      }
    });
  }
});

describe('markup from Trakt', () => {
  test('HTML in an access_denied description is text', async ({ standin, open }) => {
    const description = '<b>Denied</b> <a href="https://evil.example">click here</a>';
    const query = new URLSearchParams({ error: 'access_denied', error_description: description, state: '1' });
    const { helper } = await open(standin, `?${query}`);
    await expect(helper.callbackProblem()).toContainText(description);
    await expect(helper.links('https://evil.example')).toHaveCount(0);
  });
});
