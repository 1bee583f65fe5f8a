// The page's start-up script. scripts/post-build.mjs writes it into dist/ with the names
// and the integrity of the files it loads (the %…% below), and index.html loads it with
// its own integrity.
//
// It shows the crash notice itself: after a trap (a stack overflow, or a panic under
// panic=abort) the wasm instance is dead, so a notice written in Rust could not appear,
// and with Remember on every new tab would stay blank too. The notice's button clears
// what the page stored, so a value that makes the page crash cannot keep it down.
import init from './%GLUE%';

const STORAGE_PREFIX = 'trakt-helper.';
// Fingerprints of codes already sent: they stay, so forgetting never sends a code twice.
const CLAIM_PREFIX = 'trakt-helper.claim.';

/** Both storages, but for one the browser refuses to give (storage turned off). */
function storages() {
  const found = [];
  for (const name of ['localStorage', 'sessionStorage']) {
    try {
      found.push(window[name]);
    } catch {
      // Nothing can be stored there, so nothing is left to forget.
    }
  }
  return found;
}

/** Removes every name the page stored, in both storages, but for the claims. */
function forgetAll() {
  for (const storage of storages()) {
    // All names first: removing one shifts the indexes of the rest.
    const names = Array.from({ length: storage.length }, (_, index) => storage.key(index));
    for (const name of names) {
      if (name?.startsWith(STORAGE_PREFIX) && !name.startsWith(CLAIM_PREFIX)) storage.removeItem(name);
    }
  }
}

/** Puts the crash notice at the top of the page, once, in place of the “Starting…” line. */
function showCrashNotice() {
  if (document.getElementById('crash-notice')) return;
  document.getElementById('starting')?.remove();
  const notice = document.createElement('div');
  notice.id = 'crash-notice';
  notice.className = 'problem crash';
  notice.setAttribute('role', 'alert');
  notice.dataset.testid = 'crash-notice';
  // Fixed words only: what went wrong may carry text from outside.
  notice.textContent =
    'Something went wrong in this page and it stopped working. Reload the page to start again: ' +
    'your settings are kept, and a code that was already sent is never sent twice. If it stops ' +
    'again, clear what this page stored: ';
  const wayOut = document.createElement('button');
  wayOut.type = 'button';
  wayOut.dataset.testid = 'crash-forget';
  wayOut.textContent = "Forget this page's data and reload";
  wayOut.addEventListener('click', () => {
    forgetAll();
    location.reload();
  });
  notice.append(wayOut);
  document.body.prepend(notice);
}

/** Compiles the wasm as it streams in, or from its bytes when a host sends it without `application/wasm`. */
async function compile(pending) {
  const response = await pending;
  try {
    return await WebAssembly.compileStreaming(response);
  } catch (error) {
    if (!response.ok || response.headers.get('Content-Type') === 'application/wasm') throw error;
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

/**
 * Whether an error that reached the window is a failure of the page: not a script's made-up
 * event, not a rejection without an error (`Promise.reject()`) or of an aborted request, and
 * not ResizeObserver's notice of a loop, which browser extensions cause and which breaks
 * nothing. A notice for those would only tempt the person to forget what they stored.
 */
function isCrash(event) {
  if (!event.isTrusted) return false;
  if (event.type === 'unhandledrejection') {
    return event.reason instanceof Error && event.reason.name !== 'AbortError';
  }
  return !/^ResizeObserver loop/.test(event.message ?? '');
}

for (const type of ['error', 'unhandledrejection']) {
  addEventListener(type, (event) => isCrash(event) && showCrashNotice());
}

async function start() {
  let module;
  try {
    module = await compile(fetch(new URL('./%WASM%', import.meta.url), { integrity: '%WASM_INTEGRITY%' }));
  } catch (error) {
    // Missing, changed (refused by its integrity) or not wasm: the code never started, and
    // index.html's “Starting the helper…” line, which stays, says what to do.
    console.error('The helper could not load its code:', error);
    return;
  }
  // Instantiating runs the helper's `main`: whatever fails from here on is a crash.
  await init({ module_or_path: module });
}

start().catch((error) => {
  console.error('The helper stopped:', error);
  showCrashNotice();
});
