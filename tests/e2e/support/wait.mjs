// Waiting assertions: the page updates asynchronously, so each check polls until it holds.
import assert from 'node:assert/strict';

export async function eventually(check, { timeout = 10_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }
}

/** Waits until the locator's text contains `expected`; returns the text. */
export function textContains(locator, expected, options) {
  return eventually(async () => {
    const text = (await locator.textContent({ timeout: 1_000 })) ?? '';
    assert.ok(text.includes(expected), `expected ${JSON.stringify(expected)} in ${JSON.stringify(text)}`);
    return text;
  }, options);
}
