// The helper's page through WebDriver (selenium-webdriver): what a person reads, types and
// clicks, found by the same data-testid names, ids and visible words as the Chromium suite's
// page object (tests/e2e/support/helper-page.mjs). Reads never throw for an element that is
// not there yet: they answer '' or 0, so `expect.poll` can wait on them.
import { By, until } from 'selenium-webdriver';

const testid = (id) => By.css(`[data-testid="${id}"]`);
/** An XPath string literal for `text` (the words here hold no double quote). */
const literal = (text) => `"${text}"`;

export class HelperPage {
  constructor(driver, url) {
    this.driver = driver;
    this.url = url;
  }

  async open(suffix = '') {
    await this.driver.get(`${this.url}${suffix}`);
    await this.waitForHeading('Connect Trakt to NowPlaying');
  }

  async waitForHeading(name, timeout = 20_000) {
    await this.driver.wait(until.elementLocated(By.xpath(`//h1[normalize-space(.)=${literal(name)}]`)), timeout, `the heading “${name}”`);
  }

  /** The visible text of the element with this data-testid, or '' while there is none. */
  async text(id) {
    try {
      const found = await this.driver.findElements(testid(id));
      return found.length ? await found[0].getText() : '';
    } catch {
      return ''; // replaced while being read: the next poll reads the new one
    }
  }

  /** How many elements with this data-testid the page holds (shown or not). */
  async count(id) {
    return (await this.driver.findElements(testid(id))).length;
  }

  /**
   * Waits for a shown element, found by `by`. When it does not show, the error says what the
   * page shows instead, if anything: a part that could not load, or the crash notice.
   */
  async shown(by, what, timeout = 15_000) {
    try {
      const element = await this.driver.wait(until.elementLocated(by), timeout, `${what} is there`);
      await this.driver.wait(until.elementIsVisible(element), timeout, `${what} is shown`);
      return element;
    } catch (error) {
      for (const id of ['part-missing', 'crash-notice']) {
        const text = await this.text(id);
        if (text) error.message += `; the page shows [${id}]: ${text}`;
      }
      throw error;
    }
  }

  /** Waits for the field with this id (its label's `for`) to show. */
  field(id) {
    return this.shown(By.id(id), `the field #${id}`);
  }

  /** Types `text` into the field with this id, replacing what it held. */
  async type(id, text) {
    const field = await this.field(id);
    await field.clear();
    await field.sendKeys(text);
  }

  async value(id) {
    const found = await this.driver.findElements(By.id(id));
    return found.length ? found[0].getAttribute('value') : '';
  }

  /** Clicks the button that reads `name`. */
  async press(name) {
    const button = await this.shown(By.xpath(`//button[normalize-space(.)=${literal(name)}]`), `the button “${name}”`);
    await this.driver.wait(until.elementIsEnabled(button), 15_000, `the button “${name}” is enabled`);
    await button.click();
  }

  /** Opens the fold (a <details>) with this data-testid, if it is closed. */
  async openFold(id) {
    const fold = await this.shown(testid(id), `the fold ${id}`);
    if ((await fold.getAttribute('open')) === null) await fold.findElement(By.css('summary')).click();
  }

  async backendUrl(url) {
    await this.type('backend-url', url);
  }

  async signIn(username, password) {
    await this.openFold('sign-in');
    await this.type('sign-in-username', username);
    await this.type('sign-in-password', password);
    await this.press('Sign in');
  }

  /** The authorize link's address, once it is offered. */
  async authorizeHref() {
    const link = await this.shown(testid('authorize-link'), 'the authorize link');
    return link.getAttribute('href');
  }

  /** Follows the authorize link to the stand-in's Trakt page and answers Yes (or No). */
  async authorize({ approve = true } = {}) {
    await (await this.shown(testid('authorize-link'), 'the authorize link')).click();
    await this.waitForHeading('Authorize NowPlaying?');
    await (await this.shown(testid(approve ? 'approve' : 'deny'), `Trakt's ${approve ? 'Yes' : 'No'}`)).click();
    await this.waitForHeading('Connect Trakt to NowPlaying');
  }

  async paste(text) {
    await this.openFold('paste-return');
    await this.type('pasted-return', text);
    await this.press('Use this code');
  }

  async forget() {
    await this.press('Forget');
  }

  address() {
    return this.driver.getCurrentUrl();
  }

  /** Everything the page keeps in both storages. */
  stored() {
    return this.driver.executeScript('return { local: { ...localStorage }, session: { ...sessionStorage } };');
  }

  /** The names of the .wasm files the page fetched, from its resource timings. */
  fetchedWasm() {
    return this.driver.executeScript(
      "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop()).filter((n) => n.endsWith('.wasm'));",
    );
  }

  /** The languages the browser reports for the person. */
  languages() {
    return this.driver.executeScript('return navigator.languages;');
  }
}
