// The authorize link: what it promises (where Trakt will send the code), the backend's
// refusals each with a next step, and every link that could mislead refused, never offered.
import assert from 'node:assert/strict';
import { expect, test } from './support/fixtures.mjs';

const { describe } = test;

/**
 * With `body` as `standin`'s answer for the link, the page (opened by `connected`, the test's
 * or a scope's) offers no link and says `shown`.
 */
async function noLinkFor({ standin, connected }, body, shown, message) {
  await standin.fault({ path: '/trakt/authenticate/', status: 200, body });
  const { helper } = await connected();
  await expect(helper.authorizeProblem()).toContainText(shown);
  await expect(helper.authorizeLink(), message).toHaveCount(0);
  return { helper };
}

/** An authorize link to Trakt for alice, back to the page `standin` serves, then `rest`. */
const traktLink = (standin, rest) =>
  `https://api.trakt.tv/oauth/authorize?response_type=code&client_id=alice-client&redirect_uri=${encodeURIComponent(`${standin.url}/`)}${rest}`;

describe('where the link says Trakt will send the code', () => {
  describe('a backend whose redirect URI is not this page', () => {
    test('shows where the code will go and the exact value to register', async ({ open, startStandin }) => {
      const elsewhere = await startStandin(['--redirect-uri', 'http://127.0.0.1:9/trakt/oauth-callback/']);
      const { helper } = await open(elsewhere);
      await helper.connect({ jwt: await elsewhere.token() });
      await expect(helper.redirectCheck()).toContainText('Trakt will send the code to');
      await expect(helper.redirectCheck()).toContainText('http://127.0.0.1:9/trakt/oauth-callback/');
      assert.equal(await helper.redirectToRegister().textContent(), `${elsewhere.url}/`);
    });
  });

  test('the promise comes from the link: its own redirect_uri, whatever the answer says', async ({ standin, connected }) => {
    const evil = 'https://evil.example/steal';
    const body = {
      auth_url: `https://api.trakt.tv/oauth/authorize?response_type=code&client_id=alice-client&redirect_uri=${encodeURIComponent(evil)}&state=1`,
      redirect_uri: `${standin.url}/`,
    };
    await standin.fault({ path: '/trakt/authenticate/', status: 200, body, times: 1 });
    const { helper } = await connected();
    await expect(helper.redirectCheck()).toContainText('Trakt will send the code to');
    await expect(helper.redirectCheck()).toContainText(evil);
    await expect(helper.redirectCheck()).not.toContainText('send you back to this page');
  });
});

describe('the backend\'s refusals, each with its next step', () => {
  const messages = [
    ['The redirect uri included is not valid.', 'Redirect URI exactly'],
    ['invalid_client: Client authentication failed due to unknown client.', 'refused the Client ID or Client Secret'],
    ['Trakt API credentials not found', 'Client ID and Client Secret'],
  ];
  for (const [message, step] of messages) {
    test(`“${message}” gets its next step`, async ({ standin, connected }) => {
      await standin.fault({ path: '/trakt/authenticate/', status: 400, body: { error: message } });
      const { helper } = await connected();
      await expect(helper.authorizeProblem()).toContainText(message);
      await expect(helper.authorizeProblem()).toContainText(step);
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
    test(name, async ({ standin, connected }) => {
      const { helper } = await noLinkFor({ standin, connected }, body, reason);
      await expect(helper.authorizeProblem()).toContainText('What to do:');
      await expect(helper.links(), 'no link of any kind').toHaveCount(0);
      const pending = await helper.page.evaluate(() => sessionStorage.getItem('trakt-helper.pending-state'));
      assert.equal(pending, null, 'no state is remembered for a refused link');
    });
  }

  for (const name of ['redirect_uri', 'client_id', 'state', 'response_type']) {
    test(`a link naming ${name} twice is refused`, async ({ standin, connected }) => {
      await noLinkFor({ standin, connected }, { auth_url: traktLink(standin, `&state=1&${name}=other`) }, `names “${name}” more than once`);
    });
  }

  for (const [name, state, shown] of [
    ['another user', '&state=2', 'is for user “2”'],
    ['no state', '', 'carries no “state”'],
  ]) {
    test(`a link whose return would be refused (${name}) is not offered`, async ({ standin, connected }) => {
      await noLinkFor({ standin, connected }, { auth_url: traktLink(standin, state) }, shown);
    });
  }

  test('a link that asks Trakt for no code is not offered', async ({ standin, connected }) => {
    const auth_url = `https://api.trakt.tv/oauth/authorize?client_id=alice-client&redirect_uri=${encodeURIComponent(`${standin.url}/`)}&state=1`;
    await noLinkFor({ standin, connected }, { auth_url }, 'asks Trakt for “nothing” instead of a code');
  });

  test('the loopback exception is exactly the stand-in\'s /oauth/authorize at the backend\'s origin', async ({ standin, connected, scope }) => {
    for (const [link, shown] of [
      [`${standin.url}/steal/oauth/authorize?state=1`, 'not Trakt\'s authorize page'],
      [`${standin.url}/oauth/authorize/?state=1`, 'not Trakt\'s authorize page'],
    ]) {
      await standin.reset();
      await scope((opened) => noLinkFor(opened, { auth_url: link }, shown, link));
    }
    await standin.reset();
    const exact = `${standin.url}/oauth/authorize?response_type=code&state=1`;
    await standin.fault({ path: '/trakt/authenticate/', status: 200, body: { auth_url: exact } });
    const { helper } = await connected();
    await expect(helper.standinNotice()).toContainText('stand-in authorize page');
    // The same link, with this tab's nonce as its state.
    const href = await helper.authorizeLink().getAttribute('href');
    assert.match(href, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?response_type=code&state=[0-9a-f]{32}$/);
    assert.ok(href.startsWith(exact.replace('state=1', 'state=')), href);
  });
});
