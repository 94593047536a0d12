// Shared helpers for benchmarks: percentiles, timing of whole processes, printing figures and ratios.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const AZ = join(ROOT, 'dist/bin/az.js');

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = values => percentile(values, 50);

/** Wall time of a command run to completion, in ms. */
export function timeProcess(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** Median wall time over `runs` runs after `warmup` discarded runs. */
export function timeProcessMedian(args, env, { runs = 15, warmup = 3 } = {}) {
  for (let index = 0; index < warmup; index += 1) timeProcess(args, env);
  const times = [];
  for (let index = 0; index < runs; index += 1) times.push(timeProcess(args, env));
  return { median: median(times), p90: percentile(times, 90), times };
}

/**
 * Median wall times of several commands, run in turn (a, b, c, a, b, c, …) so that a change in the machine's
 * load during the measurement affects each alike — a ratio between them stays fair. `commands` are
 * [args, env] pairs.
 */
export function timeProcessesInterleaved(commands, { runs = 15, warmup = 3 } = {}) {
  for (let index = 0; index < warmup; index += 1) for (const [args, env] of commands) timeProcess(args, env);
  const times = commands.map(() => []);
  for (let index = 0; index < runs; index += 1) {
    commands.forEach(([args, env], which) => times[which].push(timeProcess(args, env)));
  }
  return times.map(list => ({ median: median(list), p90: percentile(list, 90), times: list }));
}

export function tempHome(prefix = 'az-bench-') {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const env = { ...process.env, AZ_HOME: home };
  for (const key of Object.keys(env)) if (key.startsWith('AZ_') && key !== 'AZ_HOME') delete env[key];
  return { home, env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** Starts `az serve --port 0` and resolves once server.json names it. */
export async function startServer(env) {
  const child = spawn(process.execPath, [AZ, 'serve', '--port', '0'], { env, stdio: 'ignore' });
  const file = join(env.AZ_HOME, 'server.json');
  for (let waited = 0; waited < 20_000; waited += 50) {
    try {
      const info = JSON.parse(readFileSync(file, 'utf8'));
      if (info.pid === child.pid) {
        const token = readFileSync(join(env.AZ_HOME, 'token'), 'utf8').trim();
        return {
          ...info,
          token,
          child,
          stop: () =>
            new Promise(resolvePromise => {
              child.once('exit', resolvePromise);
              child.kill('SIGTERM');
            }),
        };
      }
    } catch {
      // not there yet
    }
    await new Promise(resolvePromise => setTimeout(resolvePromise, 50));
  }
  child.kill('SIGKILL');
  throw new Error('az serve did not start');
}

export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export const ms = value => `${value.toFixed(1)} ms`;
export const ratio = (value, base) => `${(value / base).toFixed(2)}×`;

export function heading(title) {
  console.log(`\n== ${title} ==`);
}

export function row(label, value, note = '') {
  console.log(`${label.padEnd(58)} ${String(value).padStart(12)}  ${note}`);
}

export function checkSpawnable() {
  const result = spawnSync(process.execPath, [AZ, '--version'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error('dist/bin/az.js is missing: run `npm run build` first');
}
