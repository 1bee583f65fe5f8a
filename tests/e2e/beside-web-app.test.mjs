// Beside the NowPlaying web app: upstream's Docker layout (UI/now-playing-ui/nginx.conf, the
// web app on port 3200 with the API under /api/), with deploy/nowplaying-ui's location file
// added, serves the helper at /trakt-helper/ on the web app's origin, and a person connects
// Trakt there without typing a backend, through the backend's own callback page.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startNginx } from './support/servers.mjs';
import { distDir, startStandin } from './support/standin.mjs';
import { HelperPage } from './support/helper-page.mjs';
import { expect, test } from './support/fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const recipeFile = path.join(root, 'deploy/nowplaying-ui/trakt-helper.location.conf');
/** Where the recipe (and deploy/nowplaying-ui/Dockerfile) puts dist/ in the UI image. */
const distInImage = '/usr/share/nginx/html/trakt-helper/';
const helperPath = '/trakt-helper/';
/** The web app's own page (upstream's React build), which nginx answers for any other path. */
const webAppPage = '<!doctype html><title>NowPlaying</title><div id="root"></div>\n';

let standin;
let ui;

test.beforeAll(async () => {
  // No --redirect-uri: with TRAKT_REDIRECT_URI empty, as upstream ships it, the backend
  // builds the redirect URI from Host and X-Forwarded-Prefix, i.e. its own page under /api.
  // nginx serves the helper, not the stand-in.
  standin = await startStandin([], { serveHelper: false });
  ui = await startWebAppNginx(standin.url);
});

test.afterAll(async () => {
  await ui?.stop();
  await standin?.stop();
});

test.beforeEach(() => standin.reset());

/**
 * Debian's nginx, unprivileged in a scratch folder, with the server block of upstream's UI
 * nginx.conf as far as it meets the helper: its headers, its /api/ proxy (to `api`), its SPA
 * fallback, its long cache on *.js and *.css, its 404 page; and the recipe included as it
 * is, only its dist/ path replaced by the test's copy. Returns the web app's origin and that copy.
 */
async function startWebAppNginx(api) {
  const work = await mkdtemp(path.join(tmpdir(), 'nowplaying-ui-'));
  await mkdir(path.join(work, 'html'));
  await writeFile(path.join(work, 'html/index.html'), webAppPage);
  // A copy, so a build writing dist/ meanwhile cannot change the files under test.
  const dist = path.join(work, 'html/trakt-helper');
  await cp(distDir, dist, { recursive: true });
  const recipe = await readFile(recipeFile, 'utf8');
  assert.ok(recipe.includes(distInImage), `the recipe names ${distInImage}`);
  await writeFile(path.join(work, 'trakt-helper.location.conf'), recipe.replaceAll(distInImage, `${dist}/`));

  const port = await freePort();

  const origin = `http://127.0.0.1:${port}`;
  const server = `
      server {
        listen 127.0.0.1:${port};
        root ${work}/html;
        index index.html;
        gzip on;
        gzip_vary on;
        add_header X-Frame-Options "SAMEORIGIN" always;
        add_header X-Content-Type-Options "nosniff" always;
        include ${work}/trakt-helper.location.conf;
        location /api/ {
          proxy_pass ${api}/;
          proxy_http_version 1.1;
          proxy_set_header Host $http_host;
          proxy_set_header X-Forwarded-Host $http_host;
          proxy_set_header X-Forwarded-Proto $scheme;
          proxy_set_header X-Forwarded-Prefix /api;
        }
        location / {
          try_files $uri $uri/ /index.html;
        }
        location ~* \\.(js|css|png|svg|woff2)$ {
          expires 1y;
          add_header Cache-Control "public, immutable";
        }
        location = /index.html {
          add_header Cache-Control "no-cache, no-store, must-revalidate";
        }
        error_page 404 /index.html;
      }
`;
  const stopNginx = await startNginx(work, server, origin).catch(async (error) => {
    await rm(work, { recursive: true, force: true });
    throw error;
  });
  const stop = async () => {
    await stopNginx();
    await rm(work, { recursive: true, force: true });
  };
  return { origin, dist, stop };
}

/** The headers the helper needs on every file, and how long a browser may keep it. */
function assertHelperHeaders(answer, cacheControl) {
  const name = new URL(answer.url).pathname;
  assert.equal(answer.status, 200, name);
  assert.equal(answer.headers.get('x-frame-options'), 'DENY', `${name}: DENY alone, in place of the web app's SAMEORIGIN`);
  assert.equal(answer.headers.get('content-security-policy'), "frame-ancestors 'none'", name);
  assert.equal(answer.headers.get('cross-origin-opener-policy'), 'same-origin', name);
  assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', name);
  assert.equal(answer.headers.get('cache-control'), cacheControl, name);
}

const typeOf = { '.html': 'text/html', '.json': 'application/json', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

test('opening /trakt-helper/ on the web app’s address gives the helper, with its headers; the web app and its API keep their paths', async ({ newContext }) => {
  const { origin, dist } = ui;
  const bare = await fetch(`${origin}/trakt-helper`, { redirect: 'manual' });
  assert.equal(bare.status, 301);
  // Relative: in Docker nginx listens on 80 and the browser is on 3200.
  assert.equal(bare.headers.get('location'), helperPath);

  const page = await fetch(`${origin}${helperPath}`);
  assertHelperHeaders(page, 'no-cache');
  assert.equal(page.headers.get('content-type'), 'text/html');
  assert.equal(await page.text(), await readFile(path.join(dist, 'index.html'), 'utf8'));

  // A part the page loads on demand: wasm, sent from the .gz next to it, kept for good.
  const { parts } = JSON.parse(await readFile(path.join(dist, 'parts.json'), 'utf8'));
  const part = await fetch(`${origin}${helperPath}${parts.tools[0]}`);
  assertHelperHeaders(part, 'public, max-age=31536000, immutable');
  assert.equal(part.headers.get('content-type'), 'application/wasm');
  assert.equal(part.headers.get('content-encoding'), 'gzip');

  // Every file of the build, the scripts included (upstream's location for *.js must not
  // take them): its type, its headers, and a long cache for every name with a content hash.
  const names = (await readdir(dist)).filter((name) => !/\.(gz|br)$/.test(name));
  for (const name of names) {
    const answer = await fetch(`${origin}${helperPath}${name}`);
    const hashed = /-[0-9a-f]{16}(_bg)?\.(js|css|wasm)$/.test(name);
    assertHelperHeaders(answer, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    assert.equal(answer.headers.get('content-type'), typeOf[path.extname(name)], name);
    await answer.arrayBuffer();
  }

  // In a browser the page starts there, and a part opened loads from under /trakt-helper/.
  const context = await newContext(standin);
  const helper = new HelperPage(await context.newPage(), `${origin}${helperPath}`);
  const failed = [];
  helper.page.on('response', (r) => r.status() >= 400 && r.url().startsWith(`${origin}${helperPath}`) && failed.push(r.url()));
  await helper.open();
  await helper.openSignIn();
  await helper.userName().waitFor();
  assert.deepEqual(failed, [], 'every file of the page loaded');

  // The web app keeps every other path, and the API stays under /api/.
  const webApp = await fetch(`${origin}/trakt/auth-status/`);
  assert.equal(webApp.status, 200);
  assert.equal(webApp.headers.get('content-type'), 'text/html');
  assert.equal(await webApp.text(), webAppPage);
  const api = await fetch(`${origin}/api/trakt/auth-status/`);
  assert.equal(api.status, 401);
  assert.equal((await api.json()).detail, 'Authentication credentials were not provided.');
});

test('with nothing typed, a person signs in, authorizes once, pastes the address of the backend’s page, and Trakt is connected', async ({ newContext }) => {
  const { origin } = ui;
  const context = await newContext(standin);
  const helper = new HelperPage(await context.newPage(), `${origin}${helperPath}`);
  await helper.open();
  await helper.signIn('alice', 'alice-password');
  await expect(helper.signInDone()).toContainText('Signed in');
  // The page found the API under /api on its own origin, and says so.
  await expect(helper.backendUrlHint()).toContainText(`${origin}/api`);
  await expect(helper.status()).toContainText('Not connected to Trakt.');

  await helper.authorizeLink().click();
  await helper.traktHeading().waitFor();
  await helper.approveOnTrakt().click();
  // Trakt sends the person to the backend's own page, which shows the code.
  await helper.backendCallbackPage().waitFor();
  const landed = new URL(helper.address());
  assert.equal(`${landed.origin}${landed.pathname}`, `${origin}/api/trakt/oauth-callback/`);
  assert.ok(landed.searchParams.get('code') && landed.searchParams.get('state'), landed.href);

  // Back to the helper by its address, with that page's address to paste.
  await helper.open();
  await helper.paste(landed.href);
  await expect(helper.callbackResult()).toContainText('Trakt is connected.');
  const stats = await standin.stats();
  assert.equal(stats.callback_posts, 1, 'one code sent');
  assert.deepEqual(stats.connected, ['alice']);
});

test('the web app’s address typed as the backend: the page says it is a web page and offers /api in one click', async ({ newContext }) => {
  const { origin } = ui;
  const context = await newContext(standin);
  const helper = new HelperPage(await context.newPage(), `${origin}${helperPath}`);
  await helper.open();
  await helper.connect({ backendUrl: origin, jwt: await standin.token() });
  await expect(helper.statusProblem()).toContainText('answers with a web page (HTTP 200), not NowPlaying');
  // Typed, it stays as typed until the person takes the offer.
  await expect(helper.backendUrl()).toHaveValue(origin);
  await expect(helper.apiBeside()).toContainText(`${origin}/api`);
  await helper.useApiBeside().click();
  await expect(helper.status()).toContainText('Not connected to Trakt.');
  await expect(helper.backendUrl()).toHaveValue(`${origin}/api`);
  await helper.authorizeLink().waitFor();
});

test('while the page still looks for NowPlaying, nothing can be sent to the web app; then it finds /api', async ({ newContext }) => {
  const { origin } = ui;
  // The API is slow to answer the page's question (the web app's server answers at once).
  await standin.fault({ method: 'GET', path: '/auth/current-user/', times: 1, delay_ms: 1500, status: 401, body: { detail: 'slow' } });
  const context = await newContext(standin);
  const helper = new HelperPage(await context.newPage(), `${origin}${helperPath}`);
  await helper.open();
  await expect(helper.backendUrlHint()).toContainText('Looking for NowPlaying');
  await expect(helper.checkStatusButton(), 'no status asked of the web app').toBeDisabled();
  await expect(helper.backendUrlHint()).toContainText(`Found NowPlaying under /api`);
  await expect(helper.checkStatusButton()).toBeEnabled();
  await helper.signIn('alice', 'alice-password');
  await expect(helper.signInDone()).toContainText('Signed in');
});

test('the page finds NowPlaying while the person is about to type over the Backend URL: their typing is kept whole', async ({ newContext }) => {
  const { origin } = ui;
  // The API answers the page's question late, after the person has selected the field's text.
  await standin.fault({ method: 'GET', path: '/auth/current-user/', times: 1, delay_ms: 1500, status: 401, body: { detail: 'slow' } });
  const context = await newContext(standin);
  const helper = new HelperPage(await context.newPage(), `${origin}${helperPath}`);
  await helper.open();
  await helper.backendUrl().selectText();
  // The person pauses, the answer comes in, then they type over the selection.
  await helper.page.waitForTimeout(2_500);
  const typed = `${origin}/api`;
  await helper.page.keyboard.type(typed);
  await expect(helper.backendUrl()).toHaveValue(typed);
  await helper.backendUrl().press('Tab');
  await expect(helper.backendUrlHint()).toContainText(`Calls go to ${typed}/trakt/`);
  await helper.signIn('alice', 'alice-password');
  await expect(helper.signInDone()).toContainText('Signed in');
});

test('the web app’s address typed, then Sign in: the same offer of /api, under the sign-in', async ({ newContext }) => {
  const { origin } = ui;
  const context = await newContext(standin);
  const helper = new HelperPage(await context.newPage(), `${origin}${helperPath}`);
  await helper.open();
  await helper.backendUrl().fill(origin);
  await helper.backendUrl().press('Tab');
  await helper.signIn('alice', 'alice-password');
  await helper.page.getByTestId('sign-in-problem').waitFor();
  await expect(helper.apiBeside()).toContainText(`${origin}/api`);
  await helper.useApiBeside().click();
  await expect(helper.backendUrl()).toHaveValue(`${origin}/api`);
  await helper.signIn('alice', 'alice-password');
  await expect(helper.signInDone()).toContainText('Signed in');
});
