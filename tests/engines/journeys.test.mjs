// The core journeys of a new visitor, in the order a person takes them, in each engine:
// open the page fresh, type the backend first, sign in (the sign-in form is in a part,
// `later`, which the page loads by itself once its first screen shows), see the status, follow the authorize link to Trakt (the stand-in's page) and come
// back connected; paste a return; Forget. No crash notice ever shows, and the JWT never
// reaches the address bar. The helper is served by `site` and talks to `backend`, another
// origin, as a helper hosted apart from NowPlaying does (CORS with a JWT, in each engine).
import { expect, test } from './fixtures.mjs';

/**
 * What the person's clicks and the page's flow asked the backend, in order (the browser's
 * own CORS preflights aside: the engine sends them, not the page).
 */
const asked = async (backend) =>
  (await backend.calls())
    .filter((r) => r.method !== 'OPTIONS' && (r.path.startsWith('/trakt/') || r.path.startsWith('/auth/')))
    .map((r) => `${r.method} ${r.path}`);

/** Neither the crash notice nor a part that could not load is on the page. */
async function expectAlive(helper) {
  expect(await helper.count('crash-notice'), 'no crash notice').toBe(0);
  expect(await helper.count('part-missing'), 'no part that could not load').toBe(0);
}

/** The JWT field holds an access token (said without printing it). */
async function expectJwtInField(helper) {
  const jwt = await helper.value('jwt');
  expect(jwt.startsWith('eyJ'), 'the JWT field holds an access token').toBe(true);
  return jwt;
}

/** Fresh page, the backend typed first, signed in as alice: the status shows Trakt is not connected. */
async function signedIn(helper, backend) {
  await helper.open();
  await helper.backendUrl(backend.url);
  await helper.signIn('alice', 'alice-password');
  await expect.poll(() => helper.text('sign-in-done')).toContain('Signed in');
  await expect.poll(() => helper.text('status')).toContain('Not connected to Trakt.');
  return expectJwtInField(helper);
}

test('a new visitor opens the page, types the backend, signs in and sees the status', async ({ helper, site, backend, parts }) => {
  await helper.open();
  const fresh = await helper.stored();
  expect(Object.keys(fresh.local).filter((k) => k !== 'trakt-helper.forget-epoch'), 'nothing stored on a first visit').toEqual([]);
  await expectAlive(helper);

  await helper.backendUrl(backend.url);
  // The sign-in form lives only in a part (`later`): the split loader fetched its files and
  // ran them in this engine.
  await helper.openFold('sign-in');
  await helper.field('sign-in-username');
  const fetched = await helper.fetchedWasm();
  expect(parts.later.filter((name) => !fetched.includes(name)), 'every file of the part with the sign-in form was fetched').toEqual([]);

  await helper.signIn('alice', 'alice-password');
  await expect.poll(() => helper.text('sign-in-done')).toContain('Signed in');
  const jwt = await expectJwtInField(helper);
  await expect.poll(() => helper.text('status')).toContain('Not connected to Trakt.');
  // Not connected: the link to Trakt, here the stand-in's authorize page at the backend.
  const href = await helper.authorizeHref();
  expect(href.startsWith(`${backend.url}/oauth/authorize?`), 'the link leads to the backend\'s authorize page').toBe(true);
  await expect.poll(() => helper.text('standin-notice')).toContain('stand-in authorize page');

  expect(await asked(backend)).toEqual(['POST /auth/login/', 'GET /trakt/auth-status/', 'GET /trakt/authenticate/']);
  expect((await site.authorized()).length, 'no JWT went to the page\'s own server').toBe(0);
  expect((await helper.address()).includes(jwt), 'the JWT is not in the address bar').toBe(false);
  await expectAlive(helper);
});

test('the authorize link leads to Trakt and back: connected, the expiry in words', async ({ helper, backend }) => {
  const jwt = await signedIn(helper, backend);
  await helper.authorize();
  await expect.poll(() => helper.text('callback-result')).toContain('Trakt is connected.');
  const shown = await helper.text('callback-result');
  // The expiry as a date in the person's language and in words (Intl, which must survive
  // whatever language the browser reports).
  expect(shown).toMatch(/The token expires .*\b20\d\d\b.*\(in \d+ (days?|hours?|minutes?)\)/);
  await expect.poll(() => helper.text('status')).toContain('Connected — the Trakt token expires');
  expect((await backend.stats()).callback_posts, 'the code was sent once').toBe(1);
  const address = await helper.address();
  expect(address.includes('code='), 'the code left the address bar').toBe(false);
  expect(address.includes(jwt), 'the JWT is not in the address bar').toBe(false);
  await expectAlive(helper);
});

test('a return approved elsewhere, pasted, connects', async ({ helper, backend }) => {
  await signedIn(helper, backend);
  // Approved outside this tab (another device, oauth_setup.py): Trakt sent that browser to
  // an address with the code, which the person copies here.
  const elsewhere = await backend.approvedElsewhere();
  await helper.paste(elsewhere.address);
  await expect.poll(() => helper.text('callback-result')).toContain('Trakt is connected.');
  expect((await backend.stats()).callback_posts, 'the pasted code was sent once').toBe(1);
  await expect.poll(() => helper.text('status')).toContain('Connected — the Trakt token expires');
  await expectAlive(helper);
});

test('Forget leaves nothing of the person behind', async ({ helper, backend }) => {
  await signedIn(helper, backend);
  const before = await helper.stored();
  expect(Object.keys(before.session)).toContain('trakt-helper.refresh-jwt');
  await helper.forget();
  await expect.poll(() => helper.text('forgotten')).toContain('this page keeps nothing of yours now');
  const after = await helper.stored();
  // Only the Forget epoch is left: a random number that tells another tab its data is older.
  const epoch = after.local['trakt-helper.forget-epoch'];
  expect(epoch).toMatch(/^\d+$/);
  expect(after).toEqual({
    local: { 'trakt-helper.forget-epoch': epoch },
    session: { 'trakt-helper.tab-epoch': epoch },
  });
  expect(await helper.value('jwt'), 'the JWT field is empty').toBe('');
  expect(await helper.text('status'), 'the status is asked again only once a JWT is given').toContain('Not checked yet');
  await expectAlive(helper);
});

test('under the machine\'s locale the page goes on: a connected status in words', async ({ helper, backend, engine }) => {
  await helper.open();
  // WebKitGTK under LANG=C.UTF-8 reports the language `C`, which Intl refuses: this lane
  // runs it that way so the page has to cope (the status below formats a date).
  if (engine === 'webkit') expect(await helper.languages()).toEqual(['C']);
  await backend.setUser({ user: 'alice', trakt_connected: true });
  await helper.backendUrl(backend.url);
  await helper.signIn('alice', 'alice-password');
  await expect.poll(() => helper.text('status')).toContain('Connected — the Trakt token expires');
  expect(await helper.text('status')).toMatch(/\b20\d\d\b/);
  await expectAlive(helper);
});
