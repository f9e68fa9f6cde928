import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A verdaccio registry on 127.0.0.1 with its storage in a temporary folder, and a user to publish as. */
export interface LocalRegistry {
  /** e.g. `http://127.0.0.1:41234/` */
  url: string;
  /** Token of a user allowed to publish. */
  token: string;
  /** Stops the server (idempotent). */
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago (the OS picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// No uplinks: the registry serves only what is published to it. Installs take our scope from here and
// everything else from the public registry (set per folder in .npmrc), so nothing of ours can come from
// a copy published elsewhere.
function config(folder: string): string {
  return [
    `storage: ${JSON.stringify(join(folder, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(folder, 'htpasswd'))}`,
    '    max_users: 10',
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    'web:',
    '  enable: false',
    'max_body_size: 100mb',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

async function waitUntilUp(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`verdaccio exited with ${server.exitCode}:\n${log()}`);
    try {
      if ((await fetch(new URL('-/ping', url))).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`verdaccio did not answer at ${url} within 60 s:\n${log()}`);
}

/** Adds a user the way `npm adduser` does and returns its token. */
async function addUser(url: string): Promise<string> {
  const name = 'openmind-ci';
  const res = await fetch(new URL(`-/user/org.couchdb.user:${name}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `throwaway-${process.pid}-${Date.now()}`, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = (await res.json()) as { token?: string; error?: string };
  if (!res.ok || !body.token) throw new Error(`verdaccio refused the user (${res.status}): ${body.error ?? JSON.stringify(body)}`);
  return body.token;
}

/** Starts verdaccio (from this repository's devDependencies) with config and storage in `folder`. */
export async function startLocalRegistry(folder: string, verdaccioBin: string): Promise<LocalRegistry> {
  const configFile = join(folder, 'verdaccio.yaml');
  writeFileSync(configFile, config(folder));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn(process.execPath, [verdaccioBin, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  };
  try {
    await waitUntilUp(url, server, () => output);
    return { url, token: await addUser(url), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
