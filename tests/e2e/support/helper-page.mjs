// The page object: the only file that knows how the helper's screen is laid out.
export class HelperPage {
  /** CSS selectors, for the keyboard test that asks where the focus is. */
  static selectors = {
    jwt: '#jwt',
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

  /** Sends a code that waits for the person's click. */
  sendWaitingCode() {
    return this.page.getByRole('button', { name: 'Send the code' }).click();
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

  credentialsForm() {
    return this.page.getByTestId('trakt-credentials');
  }

  async saveTraktCredentials(clientId, clientSecret) {
    await this.page.getByLabel('Client ID').fill(clientId);
    await this.page.getByLabel('Client Secret').fill(clientSecret);
    await this.page.getByRole('button', { name: 'Save Trakt credentials' }).click();
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

  async openCredentials() {
    if (!(await this.page.getByLabel('Client ID').isVisible())) await this.page.getByText('Trakt credentials (Client ID').click();
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

  // Single elements, by what the person sees.

  /** Every link on the page, or those to `href`. */
  links(href) {
    return this.page.locator(href ? `a[href="${href}"]` : 'a[href]');
  }

  /** The “Back from Trakt” card, whatever its outcome. */
  resultCard() {
    return this.page.getByRole('region', { name: 'Back from Trakt' });
  }

  /** [data-testid=jwt-hint] */
  jwtHint() {
    return this.page.getByTestId('jwt-hint');
  }

  /** [data-testid=trakt-key-status] */
  traktKeyStatus() {
    return this.page.getByTestId('trakt-key-status');
  }

  /** [data-testid=crash-notice] */
  crashNotice() {
    return this.page.getByTestId('crash-notice');
  }

  /** [data-testid=standin-notice] */
  standinNotice() {
    return this.page.getByTestId('standin-notice');
  }

  /** [data-testid=trakt-key-saved] */
  traktKeySaved() {
    return this.page.getByTestId('trakt-key-saved');
  }

  /** [data-testid=trakt-key-problem] */
  traktKeyProblem() {
    return this.page.getByTestId('trakt-key-problem');
  }

  /** [data-testid=tool-problem] */
  toolProblem() {
    return this.page.getByTestId('tool-problem');
  }

  /** [data-testid=token-tools] */
  tokenTools() {
    return this.page.getByTestId('token-tools');
  }

  /** [data-testid=sign-in-username-error] */
  userNameError() {
    return this.page.getByTestId('sign-in-username-error');
  }

  /** [data-testid=sign-in-problem] */
  signInProblem() {
    return this.page.getByTestId('sign-in-problem');
  }

  /** [data-testid=sign-in-password-error] */
  passwordError() {
    return this.page.getByTestId('sign-in-password-error');
  }

  /** [data-testid=sent-code] */
  sentCode() {
    return this.page.getByTestId('sent-code');
  }

  /** [data-testid=redirect-to-register] */
  redirectToRegister() {
    return this.page.getByTestId('redirect-to-register');
  }

  /** [data-testid=doctor-backend] */
  doctorBackend() {
    return this.page.getByTestId('doctor-backend');
  }

  /** [data-testid=curl-command] */
  curlCommand() {
    return this.page.getByTestId('curl-command');
  }

  /** [data-testid=crash-forget] */
  crashForget() {
    return this.page.getByTestId('crash-forget');
  }

  /** [data-testid=copy-state] */
  copyState() {
    return this.page.getByTestId('copy-state');
  }

  /** [data-testid=copy-redirect-uri] */
  copyRedirectUri() {
    return this.page.getByTestId('copy-redirect-uri');
  }

  /** [data-testid=copy-curl] */
  copyCurl() {
    return this.page.getByTestId('copy-curl');
  }

  /** [data-testid=copy-code] */
  copyCode() {
    return this.page.getByTestId('copy-code');
  }

  /** [data-testid=callback-message] */
  callbackMessage() {
    return this.page.getByTestId('callback-message');
  }

  /** [data-testid=backend-url-hint] */
  backendUrlHint() {
    return this.page.getByTestId('backend-url-hint');
  }

  /** [data-testid=authorize-idle] */
  authorizeIdle() {
    return this.page.getByTestId('authorize-idle');
  }

  /** [data-testid=address-left] */
  addressLeft() {
    return this.page.getByTestId('address-left');
  }

  /** The link “Yes”. */
  approveOnTrakt() {
    return this.page.getByRole('link', { name: 'Yes' });
  }

  /** The heading “Connect Trakt to NowPlaying”. */
  heading() {
    return this.page.getByRole('heading', { name: 'Connect Trakt to NowPlaying' });
  }

  /** The button “Check status”. */
  checkStatusButton() {
    return this.page.getByRole('button', { name: 'Check status' });
  }

  /** The button “Check again”. */
  checkAgainButton() {
    return this.page.getByRole('button', { name: 'Check again' });
  }

  /** The button “Test sync”. */
  testSyncButton() {
    return this.page.getByRole('button', { name: 'Test sync' });
  }

  /** The button “Authorize again”. */
  authorizeAgainButton() {
    return this.page.getByRole('button', { name: 'Authorize again' });
  }

  /** The heading “Authorize NowPlaying?”. */
  traktHeading() {
    return this.page.getByRole('heading', { name: 'Authorize NowPlaying?' });
  }

  /** The button “Refresh Trakt token”. */
  refreshTraktTokenButton() {
    return this.page.getByRole('button', { name: 'Refresh Trakt token' });
  }

  /** The button “Forget”. */
  forgetButton() {
    return this.page.getByRole('button', { name: 'Forget' });
  }

  /** The button “Checking…”. */
  checkingButton() {
    return this.page.getByRole('button', { name: 'Checking…' });
  }

  /** The field labelled “Remember on this device”. */
  rememberBox() {
    return this.page.getByLabel('Remember on this device');
  }

  /** The field labelled “Put my JWT in the command”. */
  jwtInCommandBox() {
    return this.page.getByLabel('Put my JWT in the command');
  }

  /** The field labelled “Client Secret”. */
  clientSecret() {
    return this.page.getByLabel('Client Secret');
  }

  /** The text “Trakt Authorization”. */
  backendCallbackPage() {
    return this.page.getByText('Trakt Authorization');
  }

  /** The text “Redirect URI check, character by character”. */
  redirectDoctorToggle() {
    return this.page.getByText('Redirect URI check, character by character');
  }

  /** The text “Finish from a terminal instead”. */
  finishByHandToggle() {
    return this.page.getByText('Finish from a terminal instead');
  }
}
