// Takes a screenshot of each screen of the release build against the stand-in:
// node scripts/screenshots.mjs [out-dir]   (default docs/screenshots)
import { mkdir } from 'node:fs/promises';
import { startStandin } from '../tests/e2e/support/standin.mjs';
import { launchBrowser, newContext } from '../tests/e2e/support/browser.mjs';
import { HelperPage } from '../tests/e2e/support/helper-page.mjs';
import { textContains } from '../tests/e2e/support/wait.mjs';

const out = process.argv[2] ?? 'docs/screenshots';
await mkdir(out, { recursive: true });
const browser = await launchBrowser();
const standin = await startStandin();

async function shoot(name, scheme, width, steps) {
  await standin.reset();
  const context = await newContext(browser, standin, {
    colorScheme: scheme,
    viewport: { width, height: 900 },
  });
  const helper = new HelperPage(await context.newPage(), `${standin.url}/`);
  await helper.open();
  await steps(helper);
  await helper.page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  await context.close();
  console.log(`${out}/${name}.png`);
}

const screens = {
  fresh: async () => {},
  'not-connected': async (helper) => {
    await helper.connect({ jwt: await standin.token() });
    await helper.authorizeLink().waitFor();
  },
  connected: async (helper) => {
    await helper.connect({ jwt: await standin.token() });
    await helper.authorize();
    await textContains(helper.status(), 'Connected');
  },
  denied: async (helper) => {
    await helper.connect({ jwt: await standin.token() });
    await helper.authorize({ approve: false });
    await helper.callbackProblem().waitFor();
  },
  'no-credentials': async (helper) => {
    await helper.connect({ jwt: await standin.token({ user: 'bob' }) });
    await helper.authorizeProblem().waitFor();
    await helper.page.getByTestId('trakt-key-status').getByText('None stored yet').waitFor();
  },
  'sign-in': async (helper) => {
    await helper.signIn('alice', 'wrong');
    await helper.page.getByTestId('sign-in-problem').waitFor();
  },
  doctor: async (helper) => {
    await helper.connect({ jwt: await standin.token({ user: 'bob' }) });
    await helper.authorizeProblem().waitFor();
    await helper.runDoctor();
    await helper.doctorLines();
  },
  'finish-by-hand': async (helper) => {
    await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 503, body: '' });
    await helper.connect({ jwt: await standin.token() });
    await helper.authorize();
    await helper.page.getByText('Finish from a terminal instead').click();
  },
};

try {
  for (const [name, steps] of Object.entries(screens)) {
    await shoot(`${name}-light`, 'light', 1024, steps);
  }
  await shoot('connected-dark', 'dark', 1024, screens.connected);
  await shoot('not-connected-narrow', 'light', 360, screens['not-connected']);
} finally {
  await browser.close();
  await standin.stop();
}
