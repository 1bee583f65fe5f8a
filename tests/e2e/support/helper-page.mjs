// The page object: the only file that knows how the helper's screen is laid out.
import { expect } from '@playwright/test';

export class HelperPage {
  /**
   * CSS selectors, for scripts that run inside the page: the keyboard test that asks where
   * the focus is, and the first-screen test that notes what is there as the page builds.
   */
  static selectors = {
    jwt: '#jwt',
    backendUrl: '#backend-url',
    connectComing: '[data-testid="connect-coming"]',
    status: '[data-testid="status"]',
    callbackResult: '[data-testid="callback-result"]',
    statusAnswered: '[data-testid="status"].status.bad, [data-testid="status"].status.good',
    authorizeStep: '#authorize-title',
    authorizeLink: '[data-testid="authorize-link"]',
    approveOnTrakt: '[data-testid="approve"]',
  };

  /** In a page that frames the helper: the notice it shows instead of itself. */
  static framedNotice(frame) {
    return frame.getByTestId('framed-notice');
  }

  /** In a page that frames the helper: anything to click or type into. */
  static controls(frame) {
    return frame.locator('button, input, a[href]');
  }

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

  /** Step 1's place, kept while the page shows the status it opened asking. */
  connectComing() {
    return this.page.getByTestId('connect-coming');
  }

  authorizeStep() {
    return this.page.locator(HelperPage.selectors.authorizeStep);
  }

  /** The heading of the step marked as the one the person is on. */
  currentStep() {
    return this.page.locator('h2[aria-current="step"]');
  }

  statusProblem() {
    return this.page.getByTestId('status-problem');
  }

  /** After a failed status: NowPlaying's API found under `/api` beside the typed URL. */
  apiBeside() {
    return this.page.getByTestId('api-beside');
  }

  useApiBeside() {
    return this.page.getByTestId('use-api-beside');
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

  /** “Finishing the Trakt connection…”: a returned code is on its way. */
  callbackBusy() {
    return this.page.getByTestId('callback-busy');
  }

  callbackResult() {
    return this.page.getByTestId('callback-result');
  }

  callbackProblem() {
    return this.page.getByTestId('callback-problem');
  }

  /** A returned code that did not come back to this tab's authorization: it waits for a click. */
  confirmReturn() {
    return this.page.getByTestId('confirm-return');
  }

  /** The account a waiting code would connect. */
  confirmAccount() {
    return this.page.getByTestId('confirm-account');
  }

  /** The button that sends a code waiting for the person's click. */
  sendWaitingCodeButton() {
    return this.page.getByRole('button', { name: 'Send the code' });
  }

  /** Sends a code that waits for the person's click. */
  sendWaitingCode() {
    return this.sendWaitingCodeButton().click();
  }

  /** What a waiting code needs before it can be sent: a JWT. */
  confirmNeedsJwt() {
    return this.page.getByTestId('confirm-needs-jwt');
  }

  discardWaitingCode() {
    return this.page.getByRole('button', { name: 'Discard it' }).click();
  }

  /**
   * Follows the authorize link but stays on the page (its navigation answers 204): the tab
   * records the pending authorization. Returns the nonce the link carries as its state.
   */
  async followLinkInPlace() {
    await this.page.route('**/oauth/authorize**', (route) => route.fulfill({ status: 204 }));
    const href = await this.authorizeLink().getAttribute('href');
    // A navigation answered 204 never completes: the click does not wait for it.
    await this.authorizeLink().click({ noWaitAfter: true });
    await this.page.waitForFunction(() => sessionStorage.getItem('trakt-helper.pending-authorization') !== null);
    return new URL(href).searchParams.get('state');
  }

  /** From now on, every address this tab arrives at with a code in it, in order (the returns from Trakt). */
  recordReturns() {
    const returns = [];
    this.page.on('framenavigated', (frame) => {
      if (frame === this.page.mainFrame() && frame.url().includes('code=')) returns.push(frame.url());
    });
    return returns;
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

  /** What the page keeps besides the Forget epoch (a random number that outlives Forget). */
  async storedBesidesEpoch() {
    const { local, session } = await this.stored();
    delete local['trakt-helper.forget-epoch'];
    delete session['trakt-helper.tab-epoch'];
    return { local, session };
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

  traktKeysForm() {
    return this.page.getByTestId('trakt-keys');
  }

  async saveTraktKeys(clientId, clientSecret) {
    await this.page.getByLabel('Client ID').fill(clientId);
    await this.page.getByLabel('Client Secret').fill(clientSecret);
    await this.page.getByRole('button', { name: 'Save Trakt keys' }).click();
  }

  /** Pastes `text` and clicks “Use this code” (twice in a row with `double`). */
  async paste(text, { double = false } = {}) {
    await this.openPaste();
    await this.pasteField().fill(text);
    const button = this.page.getByRole('button', { name: 'Use this code' });
    await (double ? button.dblclick() : button.click());
  }

  /** index.html's own line, which the helper removes as it starts. */
  startingNotice() {
    return this.page.getByTestId('starting');
  }

  forgottenNotice() {
    return this.page.getByTestId('forgotten');
  }

  /** The `id` of the element that has the keyboard focus. */
  focusedId() {
    return this.page.evaluate(() => document.activeElement?.id ?? '');
  }

  async openTraktKeys() {
    if (!(await this.page.getByLabel('Client ID').isVisible())) await this.page.getByText('Trakt keys (Client ID').click();
  }

  clientId() {
    return this.page.getByLabel('Client ID');
  }

  async openPaste() {
    if (!(await this.pasteField().isVisible())) await this.page.getByText('Trakt sent you somewhere else?').click();
  }

  pasteField() {
    return this.page.getByLabel('Redirected address or code');
  }

  // A part of the page loaded on demand (src/ui/parts.rs), while it loads and when it cannot.

  /** [data-testid=part-loading] */
  partLoading() {
    return this.page.getByTestId('part-loading');
  }

  /** [data-testid=part-missing] */
  partMissing() {
    return this.page.getByTestId('part-missing');
  }

  /** The button “Try again” under a part that could not be loaded. */
  partRetry() {
    return this.page.getByRole('button', { name: 'Try again' });
  }

  runDoctorButton() {
    return this.page.getByRole('button', { name: 'Run the checks' });
  }

  async runDoctor() {
    await this.runDoctorButton().click();
  }

  /**
   * Opens what the parts fill in, each showing what it shows: the sign-in form, the Trakt
   * keys (stored for this user), the paste form, and the doctor's checks, whose lines it
   * returns.
   */
  async openEveryPart() {
    await this.openSignIn();
    await this.userName().waitFor();
    await this.openTraktKeys();
    await expect(this.traktKeysStatus()).toContainText('Stored for this user');
    await this.openPaste();
    await this.pasteField().waitFor();
    await this.runDoctor();
    return this.doctorLines();
  }

  doctorResults() {
    return this.page.getByTestId('doctor-results');
  }

  /** The doctor's list once it stopped changing: every line passed, failed, or not run. */
  async doctorLines() {
    const list = this.doctorResults().locator('li');
    let lines = [];
    await expect.poll(async () => {
      // Text and state read in one go, so a check finishing in between cannot mix them.
      const items = await list.evaluateAll((all) => all.map((li) => [li.className, li.textContent]));
      lines = items.map(([, text]) => text);
      return items.length > 0 && (items.some(([c]) => c.includes('failed')) || items.every(([c]) => c.includes('passed')));
    }, { message: 'the doctor finished', intervals: [50] }).toBe(true);
    return lines;
  }

  toolResult() {
    return this.page.getByTestId('tool-result');
  }

  clipboard() {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  // Single elements, by what the person sees: a test id, a role and name, a label or a text.

  /** Every link on the page, or those to `href`. */
  links(href) {
    return this.page.locator(href ? `a[href="${href}"]` : 'a[href]');
  }

  /** The “Back from Trakt” card, whatever its outcome. */
  resultCard() {
    return this.page.getByRole('region', { name: 'Back from Trakt' });
  }

  jwtHint() { return this.page.getByTestId('jwt-hint'); }
  traktKeysStatus() { return this.page.getByTestId('trakt-keys-status'); }
  crashNotice() { return this.page.getByTestId('crash-notice'); }
  standinNotice() { return this.page.getByTestId('standin-notice'); }
  traktKeysSaved() { return this.page.getByTestId('trakt-keys-saved'); }
  traktKeysProblem() { return this.page.getByTestId('trakt-keys-problem'); }
  toolProblem() { return this.page.getByTestId('tool-problem'); }
  tokenTools() { return this.page.getByTestId('token-tools'); }
  userNameError() { return this.page.getByTestId('sign-in-username-error'); }
  signInProblem() { return this.page.getByTestId('sign-in-problem'); }
  passwordError() { return this.page.getByTestId('sign-in-password-error'); }
  sentCode() { return this.page.getByTestId('sent-code'); }
  redirectToRegister() { return this.page.getByTestId('redirect-to-register'); }
  doctorBackend() { return this.page.getByTestId('doctor-backend'); }
  curlCommand() { return this.page.getByTestId('curl-command'); }
  crashForget() { return this.page.getByTestId('crash-forget'); }
  copyState() { return this.page.getByTestId('copy-state'); }
  copyRedirectUri() { return this.page.getByTestId('copy-redirect-uri'); }
  copyCurl() { return this.page.getByTestId('copy-curl'); }
  copyCode() { return this.page.getByTestId('copy-code'); }
  callbackMessage() { return this.page.getByTestId('callback-message'); }
  backendUrlHint() { return this.page.getByTestId('backend-url-hint'); }
  authorizeIdle() { return this.page.getByTestId('authorize-idle'); }
  addressLeft() { return this.page.getByTestId('address-left'); }
  approveOnTrakt() { return this.page.getByRole('link', { name: 'Yes' }); }
  heading() { return this.page.getByRole('heading', { name: 'Connect Trakt to NowPlaying' }); }
  checkStatusButton() { return this.page.getByRole('button', { name: 'Check status' }); }
  checkAgainButton() { return this.page.getByRole('button', { name: 'Check again' }); }
  testSyncButton() { return this.page.getByRole('button', { name: 'Test sync' }); }
  authorizeAgainButton() { return this.page.getByRole('button', { name: 'Authorize again' }); }
  traktHeading() { return this.page.getByRole('heading', { name: 'Authorize NowPlaying?' }); }
  refreshTraktTokenButton() { return this.page.getByRole('button', { name: 'Refresh Trakt token' }); }
  forgetButton() { return this.page.getByRole('button', { name: 'Forget' }); }
  checkingButton() { return this.page.getByRole('button', { name: 'Checking…' }); }
  rememberBox() { return this.page.getByLabel('Remember on this device'); }
  jwtInCommandBox() { return this.page.getByLabel('Put my JWT in the command'); }
  clientSecret() { return this.page.getByLabel('Client Secret'); }
  backendCallbackPage() { return this.page.getByText('Trakt Authorization'); }
  redirectDoctorToggle() { return this.page.getByText('Redirect URI check, character by character'); }
  finishByHandToggle() { return this.page.getByText('Finish from a terminal instead', { exact: true }); }
}
