// Other servers a test runs beside the stand-in (nginx, Django): a free loopback port, and a
// process started and waited for until it answers.
import { expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

/** A loopback port nobody listens on right now. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `command` and waits until `url` answers; returns a stop function. */
export async function serve(command, args, url, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await expect.poll(async () => {
      if (child.exitCode !== null) return `${command} exited: ${errors}`;
      return fetch(url).then(() => 'answers', (error) => `${url}: ${error.message}`);
    }, { timeout: 20_000, intervals: [100] }).toBe('answers');
  } catch (error) {
    child.kill();
    throw error;
  }
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
}

/**
 * Runs Debian's nginx (or $NGINX) unprivileged in the scratch folder `work`: a minimal
 * nginx.conf around `server` (a server block), waited for until `url` answers. Returns a
 * stop function.
 */
export async function startNginx(work, server, url) {
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${work}/${t};`);
  await writeFile(path.join(work, 'nginx.conf'), `
    daemon off; master_process off; pid ${work}/nginx.pid; error_log ${work}/error.log;
    events {}
    http {
      include /etc/nginx/mime.types;
      access_log off;
      ${temps.join('\n      ')}
      ${server}
    }`);
  const nginx = process.env.NGINX ?? '/usr/sbin/nginx';
  return serve(nginx, ['-p', work, '-e', `${work}/error.log`, '-c', `${work}/nginx.conf`], url);
}
