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

  statusProblem() {
    return this.page.getByTestId('status-problem');
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

  /** Follows the link to (the stand-in for) trakt.tv and answers its question. */
  async authorize({ approve = true } = {}) {
    await this.authorizeLink().click();
    await this.page.getByRole('heading', { name: 'Authorize NowPlaying?' }).waitFor();
    await this.page.getByRole('link', { name: approve ? 'Yes' : 'No' }).click();
    await this.page.getByRole('heading', { name: 'Connect Trakt to NowPlaying' }).waitFor();
  }

  address() {
    return this.page.url();
  }
}
