// Trunk post-build hook: moves trunk's inline start-up <script type="module"> into a file of
// its own, so the page's Content-Security-Policy can forbid inline scripts entirely.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('run by trunk as a post_build hook (TRUNK_STAGING_DIR is not set)');
const indexPath = path.join(dir, 'index.html');
const html = await readFile(indexPath, 'utf8');

// Trunk's minifier (release builds) drops the quotes: type=module.
const inline = [...html.matchAll(/<script type="?module"?>([\s\S]*?)<\/script>/g)];
if (inline.length !== 1) throw new Error(`expected one inline module script, found ${inline.length}`);
const [tag, code] = inline[0];

const name = `init-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
await writeFile(path.join(dir, name), code);
await writeFile(
  indexPath,
  html.replace(tag, `<script type="module" src="./${name}" integrity="${integrity}" crossorigin="anonymous"></script>`),
);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(await readFile(indexPath, 'utf8'))) {
  throw new Error('an inline script is left in index.html');
}
