// What a test opens is closed when the test ends, passed or failed: each opener registers its
// closing with `onEnd(owner, …)`, where `owner` is the test's `t` (node:test runs `t.after`
// hooks whatever happened), or a `scope` for what must end sooner (one turn of a loop, a hook).
const stacks = new WeakMap();

/**
 * Runs `close` when `owner` ends, however it ends: the last registered first, as `finally`
 * blocks would, and every one even when another throws.
 */
export function onEnd(owner, close) {
  let stack = stacks.get(owner);
  if (!stack) {
    stack = [];
    stacks.set(owner, stack);
    owner.after(async () => {
      const errors = [];
      while (stack.length) await stack.pop()().catch((error) => errors.push(error));
      if (errors.length) throw errors[0];
    });
  }
  stack.push(async () => close());
}

/** Runs `body(owner)` and then closes what it opened with `owner`, even when it throws. */
export async function scope(body) {
  const closes = [];
  try {
    return await body({ after: (close) => closes.push(close) });
  } finally {
    for (const close of closes) await close();
  }
}
