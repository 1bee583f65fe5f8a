// Starts the stand-in backend as a child process and talks to its /__standin/ controls.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const distDir = process.env.DIST_DIR ?? path.join(root, 'dist');
const binary = process.env.STANDIN_BIN ?? path.join(root, 'target/debug/nowplaying-standin');

/**
 * Starts the stand-in, serving dist/ unless `serveHelper` is false; served, the helper's
 * address is the backend's TRAKT_REDIRECT_URI unless `extraArgs` give another.
 */
export async function startStandin(extraArgs = [], { serveHelper = true } = {}) {
  const serving = serveHelper ? ['--static', distDir] : [];
  const child = spawn(binary, ['--listen', '127.0.0.1:0', ...serving, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stand-in did not start within 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return new Standin(child, url);
}

class Standin {
  constructor(child, url) {
    this.child = child;
    this.url = url;
  }

  async control(method, what, body) {
    const response = await fetch(`${this.url}/__standin/${what}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`stand-in control ${what}: ${response.status}`);
    return response.json();
  }

  /** An access token (or `kind: 'refresh'`, or `expired: true`) minted by the stand-in. */
  async token({ user = 'alice', kind = 'access', expired = false } = {}) {
    const query = new URLSearchParams({ user, kind });
    if (expired) query.set('expired', '1');
    return (await this.control('GET', `token?${query}`)).token;
  }

  /**
   * An authorization approved outside this page (as `oauth_setup.py`, the NowPlaying web app
   * or another device would start one): the address Trakt redirects to, with its code.
   */
  async approvedElsewhere({ user = 'alice' } = {}) {
    const jwt = await this.token({ user });
    const answer = await fetch(`${this.url}/trakt/authenticate/`, { headers: { authorization: `Bearer ${jwt}` } });
    const link = new URL((await answer.json()).auth_url);
    const decision = await fetch(`${this.url}/oauth/authorize/decide${link.search}&approve=yes`, { redirect: 'manual' });
    const landed = new URL(decision.headers.get('location'));
    return { address: landed.href, code: landed.searchParams.get('code'), state: landed.searchParams.get('state') };
  }

  stats() {
    return this.control('GET', 'stats');
  }

  /** How many codes the helper sent to the backend (POST /trakt/oauth-callback/). */
  async callbackPosts() {
    return (await this.stats()).callback_posts;
  }

  /** The requests the stand-in saw under /trakt/. */
  async traktRequests() {
    return (await this.stats()).requests.filter((r) => r.path.startsWith('/trakt/'));
  }

  /** The requests the stand-in saw for `requestPath`. */
  async requestsTo(requestPath) {
    return (await this.stats()).requests.filter((r) => r.path === requestPath);
  }

  /** The requests the stand-in saw that carried an Authorization header (a JWT). */
  async authorized() {
    return (await this.stats()).requests.filter((r) => r.authorization);
  }

  /**
   * The requests the stand-in saw, but for the page's discovery of NowPlaying (with no
   * backend chosen, a `GET /auth/current-user/` without a JWT at its origin and under /api):
   * what a person's clicks and the page's own flow asked.
   */
  async calls() {
    return (await this.stats()).requests.filter((r) => !isDiscovery(r));
  }

  /** The page's discovery requests the stand-in saw (see `calls`). */
  async discoveries() {
    return (await this.stats()).requests.filter(isDiscovery);
  }

  reset() {
    return this.control('POST', 'reset');
  }

  fault(spec) {
    return this.control('POST', 'fault', spec);
  }

  setUser(spec) {
    return this.control('POST', 'user', spec);
  }

  async stop() {
    // Killed by a signal, a child has a signalCode and no exitCode.
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}

const isDiscovery = (r) => r.method === 'GET' && /^(\/api)?\/auth\/current-user\/$/.test(r.path) && !r.authorization;
