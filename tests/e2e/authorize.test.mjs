// The authorize link: what it promises (where Trakt will send the code), the backend's
// refusals each with a next step, and every link that could mislead refused, never offered.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scope } from './support/scope.mjs';
import { anotherStandin, helperSuite } from './support/suite.mjs';
import { textContains } from './support/wait.mjs';

const suite = helperSuite();

/**
 * With `body` as the backend's answer for the link, the page offers no link and says `shown`;
 * returns what it said. The helper's context ends with `owner` (the test, or a scope).
 */
async function noLinkFor(owner, body, shown, message) {
  await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body });
  const { helper } = await suite.connected(owner);
  const problem = await textContains(helper.authorizeProblem(), shown);
  assert.equal(await helper.authorizeLink().count(), 0, message);
  return { helper, problem };
}

/** An authorize link to Trakt for alice, back to this page, then `rest`. */
const traktLink = (rest) =>
  `https://api.trakt.tv/oauth/authorize?response_type=code&client_id=alice-client&redirect_uri=${encodeURIComponent(`${suite.standin.url}/`)}${rest}`;

describe('where the link says Trakt will send the code', () => {
  describe('a backend whose redirect URI is not this page', () => {
    const elsewhere = anotherStandin(['--redirect-uri', 'http://127.0.0.1:9/trakt/oauth-callback/']);

    test('shows where the code will go and the exact value to register', async (t) => {
      const { helper } = await suite.open(t, elsewhere);
      await helper.connect({ jwt: await elsewhere.token() });
      const notice = await textContains(helper.redirectCheck(), 'Trakt will send the code to');
      assert.ok(notice.includes('http://127.0.0.1:9/trakt/oauth-callback/'));
      assert.equal(await helper.redirectToRegister().textContent(), `${elsewhere.url}/`);
    });
  });

  test('the promise comes from the link: its own redirect_uri, whatever the answer says', async (t) => {
    const evil = 'https://evil.example/steal';
    const body = {
      auth_url: `https://api.trakt.tv/oauth/authorize?response_type=code&client_id=alice-client&redirect_uri=${encodeURIComponent(evil)}&state=1`,
      redirect_uri: `${suite.standin.url}/`,
    };
    await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body, times: 1 });
    const { helper } = await suite.connected(t);
    const notice = await textContains(helper.redirectCheck(), 'Trakt will send the code to');
    assert.ok(notice.includes(evil), notice);
    assert.ok(!notice.includes('send you back to this page'), notice);
  });
});

describe('the backend\'s refusals, each with its next step', () => {
  const messages = [
    ['The redirect uri included is not valid.', 'Redirect URI exactly'],
    ['invalid_client: Client authentication failed due to unknown client.', 'refused the Client ID or Client Secret'],
    ['Trakt API credentials not found', 'Client ID and Client Secret'],
  ];
  for (const [message, step] of messages) {
    test(`“${message}” gets its next step`, async (t) => {
      await suite.standin.fault({ path: '/trakt/authenticate/', status: 400, body: { error: message } });
      const { helper } = await suite.connected(t);
      const problem = await textContains(helper.authorizeProblem(), message);
      assert.ok(problem.includes(step), problem);
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
    test(name, async (t) => {
      const { helper, problem } = await noLinkFor(t, body, reason);
      assert.ok(problem.includes('What to do:'));
      assert.equal(await helper.links().count(), 0, 'no link of any kind');
      const pending = await helper.page.evaluate(() => sessionStorage.getItem('trakt-helper.pending-state'));
      assert.equal(pending, null, 'no state is remembered for a refused link');
    });
  }

  for (const name of ['redirect_uri', 'client_id', 'state', 'response_type']) {
    test(`a link naming ${name} twice is refused`, async (t) => {
      await noLinkFor(t, { auth_url: traktLink(`&state=1&${name}=other`) }, `names “${name}” more than once`);
    });
  }

  for (const [name, state, shown] of [
    ['another user', '&state=2', 'is for user “2”'],
    ['no state', '', 'carries no “state”'],
  ]) {
    test(`a link whose return would be refused (${name}) is not offered`, async (t) => {
      await noLinkFor(t, { auth_url: traktLink(state) }, shown);
    });
  }

  test('a link that asks Trakt for no code is not offered', async (t) => {
    const auth_url = `https://api.trakt.tv/oauth/authorize?client_id=alice-client&redirect_uri=${encodeURIComponent(`${suite.standin.url}/`)}&state=1`;
    await noLinkFor(t, { auth_url }, 'asks Trakt for “nothing” instead of a code');
  });

  test('the loopback exception is exactly the stand-in\'s /oauth/authorize at the backend\'s origin', async (t) => {
    for (const [link, shown] of [
      [`${suite.standin.url}/steal/oauth/authorize?state=1`, 'not Trakt\'s authorize page'],
      [`${suite.standin.url}/oauth/authorize/?state=1`, 'not Trakt\'s authorize page'],
    ]) {
      await suite.standin.reset();
      await scope((owner) => noLinkFor(owner, { auth_url: link }, shown, link));
    }
    await suite.standin.reset();
    const exact = `${suite.standin.url}/oauth/authorize?response_type=code&state=1`;
    await suite.standin.fault({ path: '/trakt/authenticate/', status: 200, body: { auth_url: exact } });
    const { helper } = await suite.connected(t);
    await textContains(helper.standinNotice(), 'stand-in authorize page');
    // The same link, with this tab's nonce as its state.
    const href = await helper.authorizeLink().getAttribute('href');
    assert.match(href, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?response_type=code&state=[0-9a-f]{32}$/);
    assert.ok(href.startsWith(exact.replace('state=1', 'state=')), href);
  });
});
