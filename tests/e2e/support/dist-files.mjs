// The release build's files as a test changes them: their integrity values, and a copy of
// dist/ rebuilt with one file changed.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import binaryen from 'binaryen';

/** The integrity value (SRI) of `bytes`, as the build writes it. */
export const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/**
 * Writes `bytes` as `name` in the folder `dir` (a copy of dist/) and then, as a build would,
 * the new integrity into every file that names the old one, and the import map's new hash
 * into index.html's Content-Security-Policy: a consistent dist/ in which only `name` does
 * something else.
 */
export async function rebuildWith(dir, name, bytes) {
  const old = sri(await readFile(path.join(dir, name)));
  await writeFile(path.join(dir, name), bytes);
  const files = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  for (const other of files) {
    if (other === name || !/\.(js|html)$/.test(other)) continue;
    const text = await readFile(path.join(dir, other), 'utf8');
    if (text.includes(old)) await rebuildWith(dir, other, Buffer.from(text.replaceAll(old, sri(bytes))));
  }
  if (name !== 'index.html') return;
  const html = bytes.toString('utf8');
  const importMap = /<script type="importmap">([^<]*)<\/script>/.exec(html)?.[1];
  if (importMap === undefined) return;
  const hash = `'sha256-${createHash('sha256').update(importMap).digest('base64')}'`;
  await writeFile(path.join(dir, name), html.replace(/'sha256-[^']+'/, hash));
}

/** The main wasm of the dist/ in `dir`, its `main` replaced by one that traps at once. */
export async function trappingMainWasm(dir) {
  const main = (await readdir(dir)).find((name) => name.endsWith('_bg.wasm'));
  const module = binaryen.readBinary(await readFile(path.join(dir, main)));
  // The features the build enables (scripts/post-build.mjs's wasm-opt), not binaryen's newest.
  const F = binaryen.Features;
  module.setFeatures(F.BulkMemory | F.BulkMemoryOpt | F.CallIndirectOverlong | F.NontrappingFPToInt | F.ReferenceTypes | F.SignExt | F.MutableGlobals);
  module.removeExport('__wbindgen_start');
  module.addFunction('start_traps', binaryen.none, binaryen.none, [], module.unreachable());
  module.addFunctionExport('start_traps', '__wbindgen_start');
  const bytes = Buffer.from(module.emitBinary());
  module.dispose();
  return { main, bytes };
}
