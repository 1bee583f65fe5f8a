// Trunk's post-build hook, the only one: trunk runs post_build hooks at the same time, and
// each step below rewrites index.html after the one before.
//
// 1. A build with split points (the `split` feature, src/ui/parts.rs) is redone from cargo's
//    raw wasm, which trunk 0.21 cannot split: wasm-split-cli cuts it into the main module,
//    one part per split point and chunks that parts share, plus a loader (JS) that fetches
//    a part when its split point is first called; wasm-bindgen makes the main module's
//    glue. Trunk's own glue and wasm for the unsplit module are thrown away.
// 2. In release, wasm-opt (npm's binaryen, as trunk would) on every wasm file.
// 3. Every file gets a name from its content, so it can be cached for good, and index.html
//    preloads the main files with their integrity. Chromium checks it on the scripts but
//    ignores it on the wasm's `as="fetch"` preload, so the start-up script fetches the main
//    wasm with its integrity itself (still compiled as it streams in). The loader fetches
//    each part with its integrity too, and an import map in index.html gives every script
//    its integrity for `import`: a changed file is refused, whichever it is.
// 4. Trunk's inline start-up script makes way for start-up.js, in a file of its own, so the
//    page's Content-Security-Policy forbids inline scripts (but for the import map, allowed
//    by its hash). It shows the crash notice, which must work when the wasm has trapped.
//
// 5. In release, each file is also written precompressed (gzip and brotli) next to itself.
//
// All URLs stay relative ("./name"), so dist/ works under any path prefix. Writes
// parts.json next to index.html: the files of each part, for scripts/bench.mjs and the tests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('run by trunk as a post_build hook (TRUNK_STAGING_DIR is not set)');
const root = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
const profile = process.env.TRUNK_PROFILE === 'release' ? 'release' : 'debug';
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
// npm's binaryen@132: Debian's wasm-opt 108 breaks the module.
const wasmOpt = path.join(root, 'node_modules/.bin/wasm-opt');
// Trunk's `-Oz` (index.html's data-wasm-opt), with the features the module already uses
// named, since the parts that wasm-split-cli writes do not say which they use.
const WASM_OPT_ARGS = [
  '-Oz',
  '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-sign-ext',
  '--enable-mutable-globals',
];

const run = (command, args) => execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const sha384 = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const shortHash = (...contents) => {
  const hash = createHash('sha256');
  for (const content of contents) hash.update(content).update('\0');
  return hash.digest('hex').slice(0, 16);
};
/** `text` with every `from` replaced by `to`, failing unless `from` occurs `times` times (or at least once). */
function replaceAll(text, from, to, what, times) {
  const count = text.split(from).length - 1;
  if (count === 0 || (times !== undefined && count !== times)) {
    throw new Error(`${what}: expected ${times ?? 'some'} ${JSON.stringify(from)}, found ${count}`);
  }
  return text.replaceAll(from, to);
}

const indexPath = path.join(staging, 'index.html');
let html = await readFile(indexPath, 'utf8');

// Trunk's minifier (release builds) drops the quotes: type=module.
const inline = [...html.matchAll(/<script type="?module"?>([\s\S]*?)<\/script>/g)];
if (inline.length !== 1) throw new Error(`expected one inline module script, found ${inline.length}`);
const [initTag, initCode] = inline[0];

// Trunk's names: <bin>-<hash>.js and <bin>-<hash>_bg.wasm.
const stem = /from '\.\/([^'/]+)\.js'/.exec(initCode)?.[1];
if (!stem || !initCode.includes(`'./${stem}_bg.wasm'`)) throw new Error(`trunk's start-up script is not as expected:\n${initCode}`);
const bin = stem.replace(/-[0-9a-f]+$/, '');
const trunkJs = await readFile(path.join(staging, `${stem}.js`), 'utf8');
const split = trunkJs.includes('__wasm_split_placeholder__');

// The files that replace trunk's: main glue and wasm, and (when split) the loader and parts.
const work = path.join(targetDir, 'wasm-split', profile);
await rm(work, { recursive: true, force: true });
let mainJsText;
let mainWasmPath;
let loaderText = null;
const partPaths = [];
if (split) {
  const raw = path.join(targetDir, 'wasm32-unknown-unknown', profile, `${bin}.wasm`);
  if (!existsSync(raw)) throw new Error(`cargo's wasm is not at ${raw}`);
  const cut = path.join(work, 'split');
  const bound = path.join(work, 'bindgen');
  run('wasm-split-cli', [raw, cut, '--target', 'web', '--out-name', bin]);
  // The flags trunk passes, plus the two the split needs: the loader links to the main
  // module's exports by their linker names.
  run('wasm-bindgen', [
    '--target=web', '--keep-lld-exports', '--no-demangle', '--no-typescript',
    `--out-dir=${bound}`, `--out-name=${bin}`, path.join(cut, `${bin}.wasm`),
  ]);
  mainJsText = await readFile(path.join(bound, `${bin}.js`), 'utf8');
  mainWasmPath = path.join(bound, `${bin}_bg.wasm`);
  loaderText = await readFile(path.join(cut, '__wasm_split.js'), 'utf8');
  for (const name of (await readdir(cut)).sort()) {
    if (name.endsWith('.wasm') && name !== `${bin}.wasm`) partPaths.push(path.join(cut, name));
  }
} else {
  await mkdir(work, { recursive: true });
  mainJsText = trunkJs;
  mainWasmPath = path.join(work, `${bin}_bg.wasm`);
  await writeFile(mainWasmPath, await readFile(path.join(staging, `${stem}_bg.wasm`)));
}
if (profile === 'release') {
  for (const wasm of [mainWasmPath, ...partPaths]) run(wasmOpt, [...WASM_OPT_ARGS, wasm, '-o', wasm]);
}
await rm(path.join(staging, `${stem}.js`));
await rm(path.join(staging, `${stem}_bg.wasm`));

/** Writes `bytes` into the staging dir under `name`; returns `name`. */
const emit = async (name, bytes) => {
  await writeFile(path.join(staging, name), bytes);
  return name;
};

// The parts: named by content; the loader asks for each with its integrity (`fetchPart`,
// below), and gives up on one that has not arrived in 20 s (a stalled download is a missing
// part: the page says so and offers to try again, and the loader forgets a failed load).
const PART_TIMEOUT_MS = 20_000;
const partFiles = {};
for (const file of partPaths) {
  const bytes = await readFile(file);
  const base = path.basename(file, '.wasm');
  const name = await emit(`${base}-${shortHash(bytes)}.wasm`, bytes);
  partFiles[base] = name;
  loaderText = replaceAll(
    loaderText,
    `fetch(new URL("./${base}.wasm", import.meta.url))`,
    `fetchPart(new URL("./${name}", import.meta.url), "${sha384(bytes)}")`,
    'the loader',
    1,
  );
}
if (loaderText !== null && /fetch\(new URL\("\.\/[^"]+\.wasm", import\.meta\.url\)\)/.test(loaderText)) {
  throw new Error('the loader fetches a wasm file that was not written');
}
// A host that sends wasm without `application/wasm` breaks streaming compilation; the glue
// falls back to compiling the bytes, and so does the loader (the same fallback).
if (loaderText !== null) {
  const streaming = 'WebAssembly.instantiateStreaming(src, imports)';
  loaderText = replaceAll(loaderText, streaming, 'instantiate(src, imports)', 'the loader');
  loaderText = `${loaderText}
// A missing file fails its integrity check too, and the browser's console says only that:
// when the server answers a HEAD with an error, the error says so instead. (Not after the
// download stalled: that says itself.)
async function fetchPart(url, integrity) {
    try {
        return await fetch(url, { integrity, signal: AbortSignal.timeout(${PART_TIMEOUT_MS}) });
    } catch (error) {
        if (error.name === "TimeoutError" || error.name === "AbortError") throw error;
        const asked = { method: "HEAD", cache: "no-store", signal: AbortSignal.timeout(5000) };
        const answer = await fetch(url, asked).catch(() => null);
        if (answer && !answer.ok) {
            const file = url.pathname.split("/").pop();
            throw new Error(\`\${file}: the server answered HTTP \${answer.status}, so the file is missing (a deploy under way or incomplete)\`, { cause: error });
        }
        throw error;
    }
}
async function instantiate(src, imports) {
    try {
        return await ${streaming};
    } catch (error) {
        const response = await src;
        if (response.ok && response.headers.get("Content-Type") !== "application/wasm") {
            return WebAssembly.instantiate(await response.arrayBuffer(), imports);
        }
        throw error;
    }
}
`;
}

// The main wasm, by content.
const mainWasmBytes = await readFile(mainWasmPath);
const mainWasm = await emit(`${bin}-${shortHash(mainWasmBytes)}_bg.wasm`, mainWasmBytes);
// wasm-bindgen's default address for it, unused (the start-up script names it), but kept true.
mainJsText = replaceAll(mainJsText, `'${bin}_bg.wasm'`, `'${mainWasm}'`, 'the glue', 1);

// The glue and the loader import each other, so neither name can hold a hash of the other's
// final text: both are named by one hash of the two texts, each with the other's name left
// out, which changes whenever either changes.
const LOADER = './__wasm_split.js';
const GLUE = `./${bin}.js`;
let mainJs;
let loader = null;
if (loaderText === null) {
  mainJs = await emit(`${bin}-${shortHash(mainJsText)}.js`, mainJsText);
} else {
  const pair = shortHash(mainJsText, loaderText);
  mainJs = `${bin}-${pair}.js`;
  loader = `__wasm_split-${pair}.js`;
  // wasm-bindgen imports the loader once per split point. Only the imports change: the
  // wasm's own name for the loader, the key of its imports object, stays.
  mainJsText = replaceAll(mainJsText, `from "${LOADER}"`, `from "./${loader}"`, 'the glue');
  loaderText = replaceAll(loaderText, `"${GLUE}"`, `"./${mainJs}"`, 'the loader', 1);
  await emit(mainJs, mainJsText);
  await emit(loader, loaderText);
}

// index.html: trunk's two preloads, for files that no longer exist, make way for the new
// ones; the loader is preloaded too, with its integrity, since the glue imports it at once.
const preloads = [...html.matchAll(/<link\b[^>]*>/g)]
  .map(([tag]) => tag)
  .filter((tag) => tag.includes(`${stem}.js`) || tag.includes(`${stem}_bg.wasm`));
if (preloads.length !== 2) throw new Error(`expected trunk's two preloads, found ${preloads.length}`);
const integrityOf = async (name) => sha384(await readFile(path.join(staging, name)));
const modulePreload = async (name) =>
  `<link rel="modulepreload" href="./${name}" integrity="${await integrityOf(name)}" crossorigin="anonymous">`;
const newPreloads = [
  await modulePreload(mainJs),
  ...(loader ? [await modulePreload(loader)] : []),
  `<link rel="preload" href="./${mainWasm}" as="fetch" type="application/wasm" integrity="${await integrityOf(mainWasm)}" crossorigin="anonymous">`,
].join('');
html = html.replace(preloads[0], newPreloads).replace(preloads[1], '');

// The start-up script: start-up.js (which also shows the crash notice) with the names and
// the integrity of the files it loads, in place of trunk's (which only started the module
// and put the glue's exports on `window`).
let startUp = await readFile(path.join(root, 'start-up.js'), 'utf8');
// Its whole-line comments are for readers of the source, not for every visitor's download.
startUp = startUp
  .split('\n')
  .filter((line) => !/^\s*(\/\/|\/\*\*.*\*\/\s*$)/.test(line))
  .join('\n');
startUp = replaceAll(startUp, '%GLUE%', mainJs, 'start-up.js', 1);
startUp = replaceAll(startUp, '%WASM%', mainWasm, 'start-up.js', 1);
startUp = replaceAll(startUp, '%WASM_INTEGRITY%', await integrityOf(mainWasm), 'start-up.js', 1);
const init = await emit(`init-${shortHash(startUp)}.js`, startUp);
html = html.replace(initTag, () => `<script type="module" src="./${init}" integrity="${sha384(startUp)}" crossorigin="anonymous"></script>`);

// The scripts' integrity, for what `import` fetches. A `<script integrity>` or a
// modulepreload's integrity covers only the fetch it makes: an `import` made before the
// browser has read the preloads (index.html arriving in pieces) fetches the file unchecked,
// and a browser may not check a modulepreload's integrity at all. (The glue and the loader
// import each other, so neither can be the one entry that names the other's integrity.)
// An import map's `integrity` applies to every import of those URLs. It must be inline (an
// import map cannot have a `src`) and come before any module is loaded, so it goes right
// after the page's Content-Security-Policy, which allows its exact text by its hash and
// still forbids every other inline script.
const importMap = JSON.stringify({
  integrity: Object.fromEntries(
    await Promise.all([init, mainJs, ...(loader ? [loader] : [])].map(async (name) => [`./${name}`, await integrityOf(name)])),
  ),
});
const csp = [...html.matchAll(/<meta\b[^>]*\bhttp-equiv="?Content-Security-Policy"?[^>]*>/gi)];
if (csp.length !== 1) throw new Error(`expected index.html's one Content-Security-Policy, found ${csp.length}`);
const [cspTag] = csp[0];
const importMapHash = `'sha256-${createHash('sha256').update(importMap).digest('base64')}'`;
const scriptSrc = [...cspTag.matchAll(/script-src [^;"]*/g)];
if (scriptSrc.length !== 1) throw new Error(`expected one script-src in ${cspTag}`);
const narrowed = cspTag.replace(scriptSrc[0][0], () => `${scriptSrc[0][0].trimEnd()} ${importMapHash}`);
html = html.replace(cspTag, () => `${narrowed}<script type="importmap">${importMap}</script>`);
if (html.indexOf('<script type="importmap">') > html.search(/<(script|link)\b[^>]*\b(type="?module|modulepreload)/)) {
  throw new Error('the import map must come before every module script and preload');
}
const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)].map(([tag]) => tag);
if (inlineScripts.join() !== '<script type="importmap">') throw new Error(`an inline script is left in index.html: ${inlineScripts}`);
if (html.includes(stem)) throw new Error(`index.html still names trunk's ${stem}`);
await writeFile(indexPath, html);

// Which files make up each part: a part's own file and the chunks it shares with others.
const parts = {};
if (loaderText !== null) {
  const chunkVars = {};
  for (const [, variable, base] of loaderText.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetchPart\(new URL\("\.\/([^"]+)"/g)) {
    chunkVars[variable] = base;
  }
  for (const [, part, file, deps] of loaderText.matchAll(
    /export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\s*const src = fetchPart\(new URL\("\.\/([^"]+)"[\s\S]*?\}\s*,\s*\[([^\]]*)\]\)\)/g,
  )) {
    const chunks = deps.split(',').map((d) => d.trim()).filter(Boolean).map((d) => chunkVars[d]);
    parts[part] = [file, ...chunks];
  }
  const listed = new Set(Object.values(parts).flat());
  const written = Object.values(partFiles);
  if (written.some((name) => !listed.has(name)) || listed.size !== written.length) {
    throw new Error(`parts.json would not list every part file: ${JSON.stringify({ parts, written })}`);
  }
}
await writeFile(path.join(staging, 'parts.json'), `${JSON.stringify({ parts }, null, 2)}\n`);

// 5. In release, every file the page loads also precompressed, gzip -9 and brotli -11, next
//    to it (`name.gz`, `name.br`): nginx's gzip_static and whitenoise serve them to a browser
//    that accepts them, with nothing to compress per request (deploy/).
if (profile === 'release') {
  for (const name of await readdir(staging)) {
    if (!/\.(wasm|js|css|html)$/.test(name)) continue;
    const bytes = await readFile(path.join(staging, name));
    await writeFile(path.join(staging, `${name}.gz`), gzipSync(bytes, { level: 9 }));
    await writeFile(
      path.join(staging, `${name}.br`),
      brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}
