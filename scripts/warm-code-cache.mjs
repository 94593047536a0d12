// Writes the V8 code caches of the bundled `az` (see scripts/launcher.cjs) by running the commands people run
// most, in throwaway homes. Run by `npm run build` after scripts/bundle-cli.mjs; without it the first command
// a user runs would write them. The first run to load a file writes its cache, and a cache holds what that run
// compiled, so the order matters: the common commands in-process first (the server's files, and the files
// they share with every other path — meow, zod, the contracts — with what both sides of an in-process call
// compile), then over HTTP (what only the stateless client loads), then the dashboard up to its first frame
// (in a pseudo-terminal, when util-linux `script` is there), then what only the long-running server loads,
// when it stops. In-process first was measured (bench/core.js): in-process `az task list` 4-5 ms faster than
// with the shared files' caches written by an HTTP run, and the HTTP path no slower.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const AZ = resolve(import.meta.dirname, '../dist/bin/az.js');
const root = mkdtempSync(join(tmpdir(), 'az-warm-'));

/** A home where nothing starts work: no queue runner, no daemon started on demand. */
function home(name) {
  const path = join(root, name);
  const env = { PATH: process.env.PATH, HOME: root, AZ_HOME: path };
  execFileSync(process.execPath, [AZ, 'db', 'init'], {
    env: { ...env, AZ_CODE_CACHE: 'off' },
    stdio: 'ignore',
  });
  writeFileSync(
    join(path, 'config.json'),
    JSON.stringify({ tasks: { paused: true, autostart_daemon: false } }),
  );
  return env;
}

const az = (env, ...args) =>
  execFileSync(process.execPath, [AZ, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });

async function startServer(env) {
  const server = spawn(process.execPath, [AZ, 'serve', '--port', '0'], { env, stdio: 'ignore' });
  const started = Date.now();
  for (;;) {
    try {
      if (JSON.parse(readFileSync(join(env.AZ_HOME, 'server.json'), 'utf8')).pid === server.pid)
        return server;
    } catch {
      // not yet
    }
    if (Date.now() - started > 20_000) {
      server.kill('SIGKILL');
      throw new Error('az serve did not start while warming the code cache');
    }
    await new Promise(done => setTimeout(done, 50));
  }
}

/** `az dashboard` in a pseudo-terminal until its first frame shows `text`, then `q`. */
function dashboardUntil(env, text) {
  if (spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0) return Promise.resolve();
  return new Promise((done, fail) => {
    const child = spawn(
      'script',
      ['-qfec', `stty cols 120 rows 40; exec ${process.execPath} ${AZ} dashboard`, '/dev/null'],
      {
        env,
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    let output = '';
    let quitting = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', chunk => {
      output += chunk;
      if (quitting || !output.includes(text)) return;
      // Once, and a moment after the first frame.
      quitting = true;
      setTimeout(() => child.stdin.write('q'), 300);
    });
    child.on('error', fail);
    child.on('exit', () => {
      clearTimeout(timer);
      if (output.includes(text)) done();
      else
        fail(
          new Error(
            `az dashboard did not show its tasks while warming the code cache:\n${output.slice(-2000)}`,
          ),
        );
    });
  });
}

try {
  const local = home('local');
  az(local, 'task', 'list', '--json');
  az(local, 'task', 'create', 'warm the code cache', '--json');
  az(local, 'status', '--json');
  az(local, '--help');
  const served = home('served');
  const server = await startServer(served);
  try {
    az(served, 'task', 'list', '--json');
    const { task } = JSON.parse(az(served, 'task', 'create', 'warm the code cache', '--json'));
    az(served, 'task', 'show', task.id, '--json');
    az(served, 'status', '--json');
    await dashboardUntil(served, 'warm the code cache');
  } finally {
    await new Promise(done => {
      server.once('exit', done);
      server.kill('SIGTERM');
    });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
