// What the main wasm of the last release build is made of: bytes by crate (and by module
// of this crate), raw and what each group adds to the gzip -9 size, and the largest
// functions. Run after `trunk build --release`:
//   node scripts/wasm-breakdown.mjs [rows] [--first-screen]
// With --first-screen it also opens the page once as a returning visitor (the stand-in, a
// fresh context, a Chrome trace) and lists the functions V8 compiled before the status
// showed, by the same groups: what the first screen runs, since V8 compiles each wasm
// function on its first call.
// It rebuilds the main module from the split step's output (target/wasm-split/release)
// with the same wasm-bindgen and wasm-opt steps, keeping names (wasm-opt -g, which leaves
// the code as shipped), so each function body can be named. A group's gzip figure is what
// the file shrinks by without that group's function bodies and data: its marginal cost.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const firstScreen = args.includes('--first-screen');
const rows = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 25);
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const splitDir = path.join(targetDir, 'wasm-split/release/split');
const main = (await readdir(splitDir)).find((name) => name.endsWith('.wasm') && !/^(split|chunk)_/.test(name));
if (!main) throw new Error(`no split release build in ${splitDir}: run trunk build --release first`);

const work = await mkdtemp(path.join(tmpdir(), 'wasm-breakdown-'));
let wasm;
try {
  // wasm-bindgen demangles the names unless told not to; the code is the same either way.
  execFileSync('wasm-bindgen', ['--target=web', '--keep-lld-exports', '--no-typescript', `--out-dir=${work}`, '--out-name=main', path.join(splitDir, main)]);
  const named = path.join(work, 'named.wasm');
  execFileSync(path.join(root, 'node_modules/.bin/wasm-opt'), [
    '-Oz', '-g', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-reference-types',
    '--enable-sign-ext', '--enable-mutable-globals', path.join(work, 'main_bg.wasm'), '-o', named,
  ]);
  wasm = await readFile(named);
} finally {
  await rm(work, { recursive: true, force: true });
}

// The module's sections; the code section's function bodies and the data segments, by range.
let pos = 8;
const uleb = () => {
  let result = 0;
  let shift = 0;
  let byte;
  do {
    byte = wasm[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
};
const SECTIONS = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];
const sections = [];
let importedFunctions = 0;
const bodies = [];
const segments = [];
const names = new Map();
while (pos < wasm.length) {
  const id = wasm[pos++];
  const size = uleb();
  const start = pos;
  const end = start + size;
  let name = SECTIONS[id];
  if (id === 0) {
    const length = uleb();
    name = `custom "${wasm.subarray(pos, pos + length).toString()}"`;
    pos += length;
    if (name === 'custom "name"') {
      while (pos < end) {
        const sub = wasm[pos++];
        const subEnd = uleb() + pos;
        if (sub === 1) {
          for (let count = uleb(); count > 0; count -= 1) {
            const index = uleb();
            const length = uleb();
            names.set(index, wasm.subarray(pos, pos + length).toString());
            pos += length;
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    for (let count = uleb(); count > 0; count -= 1) {
      for (const _ of ['module', 'name']) {
        const length = uleb();
        pos += length;
      }
      const kind = wasm[pos++];
      if (kind === 0) {
        importedFunctions += 1;
        uleb();
      } else if (kind === 1) {
        pos += 1;
        const flags = uleb();
        uleb();
        if (flags & 1) uleb();
      } else if (kind === 2) {
        const flags = uleb();
        uleb();
        if (flags & 1) uleb();
      } else if (kind === 3) {
        pos += 2;
      } else {
        pos += 1;
        uleb();
      }
    }
  } else if (id === 10) {
    for (let count = uleb(), index = 0; index < count; index += 1) {
      const length = uleb();
      bodies.push({ index: importedFunctions + index, start: pos, end: pos + length });
      pos += length;
    }
  } else if (id === 11) {
    for (let count = uleb(); count > 0; count -= 1) {
      const flags = uleb();
      if (flags === 2) uleb();
      if (flags !== 1) {
        // The offset: i32.const N or global.get G, then end.
        pos += 1;
        uleb();
        if (wasm[pos++] !== 0x0b) throw new Error('a data segment offset this script does not read');
      }
      const length = uleb();
      segments.push({ start: pos, end: pos + length });
      pos += length;
    }
  }
  // The shipped file has no names: the figures are of the file without them.
  if (name !== 'custom "name"') sections.push({ name, size: end - start, start, end });
  pos = end;
}

/** The crate a name belongs to: the first path in it (`<Type as Trait>::f` is Type's, or the
 * trait's when Type is a primitive or a generic parameter); the app's by module. */
function crateOf(name) {
  if (name.startsWith('_ZN')) {
    const length = /^_ZN(\d+)/.exec(name);
    return length ? name.slice(3 + length[1].length, 3 + length[1].length + Number(length[1])) : name;
  }
  if (/^function \d+$/.test(name)) return 'unnamed';
  const first = /([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(name);
  if (!first) {
    if (/^(__wbindgen|__wbg|__externref|intounderlying|wasm_streams)/.test(name)) return 'wasm_bindgen';
    if (name === 'main') return 'trakt_oauth_helper::main';
    return 'core';
  }
  const crate = first[1];
  if (crate !== 'trakt_oauth_helper') return crate;
  const module = /trakt_oauth_helper::([a-z_]+)(?:::([a-z_]+))?/.exec(name);
  return ['ui', 'backend', 'browser'].includes(module[1]) && module[2] && !module[2].startsWith('__component')
    ? `trakt_oauth_helper::${module[1]}::${module[2]}`
    : `trakt_oauth_helper::${module[1]}`;
}
const FAMILIES = [
  [/^core::ops::function/, 'closure calls (shims; closures of any crate)'],
  [/^(core|alloc|std|compiler_builtins|dlmalloc|hashbrown|memchr|__rustc)$/, 'Rust std (fmt, alloc, collections, generics)'],
  [/^(leptos|leptos_dom|leptos_macro|tachys|reactive_graph|any_spawner|throw_error|or_poisoned|oco_ref|slotmap|send_wrapper|next_tuple|wasm_split_helpers|async_once_cell|futures|futures_util|futures_channel|futures_core|futures_task|pin_project|guardian|either_of|async_lock|event_listener)$/, 'Leptos and its runtime'],
  [/^(serde|serde_core|serde_json|serde_path_to_error|serde_wasm_bindgen|indexmap|itoa|ryu)$/, 'serde (derive, JSON, path_to_error, wasm-bindgen)'],
  [/^(wasm_bindgen|js_sys|web_sys|wasm_bindgen_futures|gloo_net|gloo_utils|http|wasm_streams)$/, 'wasm-bindgen, js-sys, web-sys, gloo-net'],
  [/^(time|base64|strum)$/, 'time, base64, strum'],
];
const family = (name) => {
  if (name.startsWith('core::ops::function::')) return FAMILIES[0][1];
  const crate = crateOf(name);
  if (crate.startsWith('trakt_oauth_helper')) return crate;
  return FAMILIES.slice(1).find(([pattern]) => pattern.test(crate))?.[1] ?? `other: ${crate}`;
};

// Without a group's bytes, how much smaller the gzip -9 file is.
const pieces = [];
for (const section of sections) {
  if (section.name === 'code') {
    for (const body of bodies) {
      const name = names.get(body.index) ?? `function ${body.index}`;
      pieces.push({ group: family(name), name, start: body.start, end: body.end });
    }
  } else if (section.name === 'data') {
    segments.forEach((segment, index) =>
      pieces.push({ group: 'data (strings, tables, constants)', name: `data segment ${index}`, start: segment.start, end: segment.end }),
    );
  } else {
    pieces.push({ group: `wasm sections: ${section.name}`, name: section.name, start: section.start, end: section.end });
  }
}
pieces.sort((a, b) => a.start - b.start);
const stripped = (skip) => Buffer.concat(pieces.filter((piece) => !skip(piece)).map((piece) => wasm.subarray(piece.start, piece.end)));
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const whole = stripped(() => false);
const wholeGzip = gz(whole);

const groups = new Map();
for (const piece of pieces) {
  const group = groups.get(piece.group) ?? { raw: 0, pieces: [] };
  group.raw += piece.end - piece.start;
  group.pieces.push(piece);
  groups.set(piece.group, group);
}
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`main wasm, its sections' contents without names or length prefixes: ${kib(whole.length)} raw, ${kib(wholeGzip)} gzip -9`);
console.log(`${'group'.padEnd(52)} ${'raw'.padStart(10)} ${'gzip -9'.padStart(10)}  (what the group adds)`);
const table = [...groups.entries()].map(([name, group]) => ({ name, raw: group.raw, gzip: wholeGzip - gz(stripped((piece) => piece.group === name)) }));
for (const row of table.sort((a, b) => b.gzip - a.gzip)) {
  console.log(`  ${row.name.padEnd(50)} ${kib(row.raw).padStart(10)} ${kib(row.gzip).padStart(10)}`);
}
console.log(`\nlargest functions (raw):`);
for (const piece of pieces.filter((p) => !p.group.startsWith('wasm sections') && !p.name.startsWith('data')).sort((a, b) => (b.end - b.start) - (a.end - a.start)).slice(0, rows)) {
  console.log(`  ${kib(piece.end - piece.start).padStart(9)}  ${piece.name.slice(0, 150)}`);
}

if (firstScreen) {
  const { compiled, shownMs } = await compiledBeforeStatus();
  const byGroup = new Map();
  for (const { index, ms } of compiled) {
    const name = names.get(index) ?? `function ${index}`;
    const group = byGroup.get(family(name)) ?? { count: 0, ms: 0, raw: 0 };
    const body = bodies.find((b) => b.index === index);
    group.count += 1;
    group.ms += ms;
    group.raw += body ? body.end - body.start : 0;
    byGroup.set(family(name), group);
  }
  const all = compiled.reduce((sum, { ms }) => sum + ms, 0);
  console.log(`\nfirst screen: ${compiled.length} of ${bodies.length} functions compiled before the status showed (${shownMs.toFixed(0)} ms), ${all.toFixed(1)} ms compiling`);
  console.log(`${'group'.padEnd(52)} ${'functions'.padStart(9)} ${'code'.padStart(10)} ${'compile'.padStart(9)}`);
  for (const [name, group] of [...byGroup.entries()].sort((a, b) => b[1].count - a[1].count)) {
    console.log(`  ${name.padEnd(50)} ${String(group.count).padStart(9)} ${kib(group.raw).padStart(10)} ${`${group.ms.toFixed(1)} ms`.padStart(9)}`);
  }
}

/**
 * One status load of the release build as a returning visitor (a JWT in the tab), traced:
 * the wasm functions V8 compiled on the page's main thread before the status showed.
 */
async function compiledBeforeStatus() {
  const { startStandin } = await import('../tests/e2e/support/standin.mjs');
  const { launchBrowser } = await import('../tests/e2e/support/browser.mjs');
  const browser = await launchBrowser();
  const standin = await startStandin();
  const trace = path.join(await mkdtemp(path.join(tmpdir(), 'first-screen-')), 'trace.json');
  try {
    const token = await standin.token();
    const context = await browser.newContext();
    await context.addInitScript((token) => {
      sessionStorage.setItem('trakt-helper.jwt', JSON.stringify({ token, backend: null }));
      const observer = new MutationObserver(() => {
        if (!/Not connected|Connected/.test(document.querySelector('[data-testid="status"]')?.textContent ?? '')) return;
        observer.disconnect();
        performance.mark('status shown');
        requestAnimationFrame(() => console.debug('status shown'));
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true });
    }, token);
    const page = await context.newPage();
    await browser.startTracing(page, { path: trace, categories: ['v8.wasm', 'blink.user_timing', 'devtools.timeline'] });
    const shown = page.waitForEvent('console', { predicate: (message) => message.text() === 'status shown' });
    await page.goto(`${standin.url}/`, { waitUntil: 'commit' });
    await shown;
    await browser.stopTracing();
    await context.close();
    const parsed = JSON.parse(await readFile(trace, 'utf8'));
    const events = parsed.traceEvents ?? parsed;
    const mark = events.find((event) => event.name === 'status shown');
    const start = events.find((event) => event.name === 'navigationStart' && event.pid === mark.pid);
    const compiled = events
      .filter((event) => event.name === 'wasm.CompileLazy' && event.pid === mark.pid && event.ts < mark.ts)
      .map((event) => ({ index: event.args.func_index, ms: event.dur / 1000 }));
    return { compiled, shownMs: start ? (mark.ts - start.ts) / 1000 : NaN };
  } finally {
    await browser.close();
    standin.stop();
    await rm(path.dirname(trace), { recursive: true, force: true });
  }
}
