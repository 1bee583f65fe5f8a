// Every screen of the helper, as steps from a freshly opened page, for the accessibility
// suite, which checks each one and saves its screenshot.
import { expect } from '@playwright/test';

export function screens(standin) {
  return {
    fresh: async () => {},
    'not-connected': async (helper) => {
      await helper.connect({ jwt: await standin.token() });
      await helper.authorizeLink().waitFor();
      await helper.redirectDoctorToggle().click();
    },
    connected: async (helper) => {
      await helper.connect({ jwt: await standin.token() });
      await helper.authorize();
      await expect(helper.status()).toContainText('Connected');
      await helper.tokenTools().waitFor();
    },
    denied: async (helper) => {
      await helper.connect({ jwt: await standin.token() });
      await helper.authorize({ approve: false });
      await helper.callbackProblem().waitFor();
    },
    'no-trakt-keys': async (helper) => {
      await helper.connect({ jwt: await standin.token({ user: 'bob' }) });
      await helper.authorizeProblem().waitFor();
      await helper.traktKeysStatus().getByText('None stored yet').waitFor();
    },
    doctor: async (helper) => {
      await helper.connect({ jwt: await standin.token({ user: 'bob' }) });
      await helper.authorizeProblem().waitFor();
      await helper.runDoctor();
      await helper.doctorLines();
    },
    // A part loaded on demand, while its file is on its way (held here), and when it cannot be
    // had. The page opens again once the route is in place: a page fetches its parts right
    // after its first screen, which may be before the route.
    'part-loading': async (helper) => {
      await helper.page.route('**/split_tools-*.wasm', () => {});
      await helper.open();
      await helper.runDoctor();
      await helper.partLoading().waitFor();
    },
    'part-missing': async (helper) => {
      await helper.page.route('**/split_tools-*.wasm', (route) => route.abort());
      await helper.open();
      await helper.runDoctor();
      await helper.partMissing().waitFor();
    },
    'sign-in': async (helper) => {
      await helper.signIn('', '');
      await helper.userNameError().waitFor();
    },
    'finish-by-hand': async (helper) => {
      await standin.fault({ method: 'POST', path: '/trakt/oauth-callback/', times: 1, status: 503, body: '' });
      await helper.connect({ jwt: await standin.token() });
      await helper.authorize();
      await helper.finishByHandToggle().click();
      await helper.curlCommand().waitFor();
    },
  };
}
