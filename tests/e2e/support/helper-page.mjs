// The page object: the only file that knows how the helper's screen is laid out.
export class HelperPage {
  constructor(page, url) {
    this.page = page;
    this.url = url;
    this.console = [];
    page.on('console', (message) => this.console.push(message.text()));
    page.on('pageerror', (error) => this.console.push(`pageerror: ${error.message}`));
  }

  async open(suffix = '') {
    await this.page.goto(`${this.url}${suffix}`);
    await this.page.getByRole('heading', { name: 'Connect Trakt to NowPlaying' }).waitFor();
  }

  backendUrl() {
    return this.page.getByLabel('Backend URL');
  }

  jwt() {
    return this.page.getByLabel('JWT access token');
  }

  async connect({ backendUrl, jwt }) {
    if (backendUrl !== undefined) await this.backendUrl().fill(backendUrl);
    await this.jwt().fill(jwt);
    await this.page.getByRole('button', { name: 'Check status' }).click();
  }

  status() {
    return this.page.getByTestId('status');
  }

  /** The heading of the step marked as the one the person is on. */
  currentStep() {
    return this.page.locator('h2[aria-current="step"]');
  }

  statusProblem() {
    return this.page.getByTestId('status-problem');
  }

  /** The button that asks for the authorize link again after it could not be had. */
  getLinkAgain() {
    return this.page.getByRole('button', { name: 'Get the link again' });
  }

  authorizeLink() {
    return this.page.getByRole('link', { name: 'Authorize on Trakt' });
  }

  authorizeProblem() {
    return this.page.getByTestId('authorize-problem');
  }

  redirectCheck() {
    return this.page.getByTestId('redirect-check');
  }

  callbackResult() {
    return this.page.getByTestId('callback-result');
  }

  callbackProblem() {
    return this.page.getByTestId('callback-problem');
  }

  /** Follows the authorize link (shown by itself once not connected) to (the stand-in for) trakt.tv and answers. */
  async authorize({ approve = true } = {}) {
    await this.authorizeLink().click();
    await this.page.getByRole('heading', { name: 'Authorize NowPlaying?' }).waitFor();
    await this.page.getByRole('link', { name: approve ? 'Yes' : 'No' }).click();
    await this.page.getByRole('heading', { name: 'Connect Trakt to NowPlaying' }).waitFor();
  }

  address() {
    return this.page.url();
  }

  async signIn(username, password) {
    await this.openSignIn();
    await this.page.getByLabel('User name').fill(username);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  async openSignIn() {
    if (!(await this.page.getByLabel('User name').isVisible())) await this.page.getByText('No JWT at hand?').click();
  }

  userName() {
    return this.page.getByLabel('User name');
  }

  signInDone() {
    return this.page.getByTestId('sign-in-done');
  }

  /** Everything the page keeps in both storages. */
  stored() {
    return this.page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
  }

  /** Marks the document now shown, so `sameDocument` can tell whether the page reloaded since. */
  markDocument() {
    return this.page.evaluate(() => {
      window.__markedDocument = true;
    });
  }

  sameDocument() {
    return this.page.evaluate(() => window.__markedDocument === true);
  }

  forget() {
    return this.page.getByRole('button', { name: 'Forget' }).click();
  }

  credentialsForm() {
    return this.page.getByTestId('trakt-credentials');
  }

  async saveTraktCredentials(clientId, clientSecret) {
    await this.page.getByLabel('Client ID').fill(clientId);
    await this.page.getByLabel('Client Secret').fill(clientSecret);
    await this.page.getByRole('button', { name: 'Save Trakt credentials' }).click();
  }

  async paste(text) {
    const field = this.page.getByLabel('Redirected address or code');
    if (!(await field.isVisible())) await this.page.getByText('Trakt sent you somewhere else?').click();
    await field.fill(text);
    await this.page.getByRole('button', { name: 'Use this code' }).click();
  }

  async runDoctor() {
    await this.page.getByRole('button', { name: 'Run the checks' }).click();
  }

  doctorResults() {
    return this.page.getByTestId('doctor-results');
  }

  /** The doctor's list once it stopped changing: every line passed, failed, or not run. */
  async doctorLines() {
    const list = this.doctorResults().locator('li');
    for (let i = 0; i < 200; i += 1) {
      // Text and state read in one go, so a check finishing in between cannot mix them.
      const items = await list.evaluateAll((all) => all.map((li) => [li.className, li.textContent]));
      const done = items.some(([c]) => c.includes('failed')) || items.every(([c]) => c.includes('passed'));
      if (items.length && done) return items.map(([, text]) => text);
      await this.page.waitForTimeout(50);
    }
    throw new Error('the doctor never finished');
  }

  toolResult() {
    return this.page.getByTestId('tool-result');
  }

  clipboard() {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }
}
