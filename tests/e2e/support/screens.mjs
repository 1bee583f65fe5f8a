// Every screen of the helper, as steps from a freshly opened page, for the accessibility
// suite, which checks each one and saves its screenshot.
import { textContains } from './wait.mjs';

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
      await helper.traktKeyStatus().getByText('None stored yet').waitFor();
    },
    doctor: async (helper) => {
      await helper.connect({ jwt: await standin.token({ user: 'bob' }) });
      await helper.authorizeProblem().waitFor();
      await helper.runDoctor();
      await helper.doctorLines();
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
    },
  };
}
