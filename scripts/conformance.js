#!/usr/bin/env node
// The official MCP conformance suite against `az serve` (npm run test:conformance; the last step of npm test).
//
// 1. Installs each pinned suite version into .cache/conformance/<version>/ and Node 22 (the suite needs it; from
//    the npm registry) into .cache/conformance/node-<version>/, once, never into the project's dependencies.
// 2. Starts the real daemon with the conformance fixture (dist/test/fixtures/conformance/serve.js) behind the
//    bearer-token proxy.
// 3. Runs every leg below; each must pass, failures listed in the leg's baseline excepted (with a baseline the
//    suite also fails on WARNINGs and on listed scenarios that now pass).
// 4. Stops everything it started, on success, failure, Ctrl-C or SIGTERM.
//
// Needs `npm run build` first. Results of the last run: .cache/conformance/results/<leg>/.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.cache/conformance');
const FIXTURE = join(ROOT, 'dist/test/fixtures/conformance/serve.js');
const BASELINES = join(ROOT, 'test/fixtures/conformance');
const NODE_22 = '22.23.3';
const LEG_TIMEOUT_MS = 5 * 60_000;

/** Pinned versions: bump deliberately and reconcile the baseline in the same change. */
const LEGS = [
  {
    version: '0.1.16',
    name: '0.1.16, protocol 2025-11-25, every scenario',
    args: ['--suite', 'all'],
    baseline: join(BASELINES, 'expected-failures.0.1.16.yaml'),
  },
  {
    version: '0.2.0-alpha.12',
    name: '0.2.0-alpha.12, every scenario at its default protocol (2025 era and extensions)',
    args: ['--suite', 'all'],
    baseline: join(BASELINES, 'expected-failures.0.2.0-alpha.yaml'),
  },
  {
    version: '0.2.0-alpha.12',
    name: '0.2.0-alpha.12, the 2026-07-28 requirement set',
    args: ['--requirements', '2026-07-28'],
    baseline: join(BASELINES, 'expected-failures.0.2.0-alpha.yaml'),
  },
];

const children = new Set();
let interrupted = false;

function log(message) {
  process.stderr.write(`conformance: ${message}\n`);
}

function fail(message) {
  log(message);
  process.exitCode = 1;
}

/** Runs a command to completion; resolves with its exit code and combined output. */
function run(command, args, { timeoutMs = LEG_TIMEOUT_MS, cwd = ROOT } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs / 1000} s)\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', error => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.on('close', code => {
      clearTimeout(timer);
      children.delete(child);
      resolvePromise({ code, output });
    });
  });
}

/** npm-installs `specs` into `prefix` unless a complete install of exactly those specs is there already. */
async function installInto(prefix, specs, expectedFile) {
  const marker = join(prefix, 'installed.json');
  const installed = existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(specs);
  if (installed && existsSync(expectedFile)) return;
  log(`installing ${specs.join(' ')} into ${relative(ROOT, prefix)}/`);
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = [
    'install',
    '--prefix',
    prefix,
    '--no-audit',
    '--no-fund',
    '--engine-strict=false',
    '--loglevel=error',
  ];
  const result = await run(npm, [...args, ...specs], { timeoutMs: 10 * 60_000 });
  if (result.code !== 0 || !existsSync(expectedFile))
    throw new Error(`npm install ${specs.join(' ')} failed:\n${result.output}`);
  writeFileSync(marker, JSON.stringify(specs));
}

/** The Node 22 the suite runs on: this Node if it is 22 or newer, else the npm registry's binary package. */
async function installNode() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const os = platform();
  if (os !== 'linux' && os !== 'darwin') {
    throw new Error('the conformance suite needs Node 22: run this script with Node 22 or newer');
  }
  const name = `node-${os}-${arch()}`;
  const prefix = join(CACHE, `node-${NODE_22}`);
  const binary = join(prefix, 'node_modules', name, 'bin/node');
  await installInto(prefix, [`${name}@${NODE_22}`], binary);
  return binary;
}

async function installSuite(version) {
  const prefix = join(CACHE, version);
  const suite = join(prefix, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
  await installInto(prefix, [`@modelcontextprotocol/conformance@${version}`], suite);
  return suite;
}

/** Starts the fixture daemon + proxy; resolves once it prints its URL. */
function startFixture(logFile) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [FIXTURE], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    const logStream = createWriteStream(logFile);
    child.stderr.pipe(logStream);
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`the fixture did not start in 30 s; see ${logFile}`)),
      30_000,
    );
    child.stdout.on('data', chunk => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        try {
          resolvePromise({ child, url: JSON.parse(line).url });
        } catch {
          reject(new Error(`the fixture printed something unexpected: ${line}`));
        }
      }
    });
    child.on('exit', code => {
      children.delete(child);
      clearTimeout(timer);
      reject(new Error(`the fixture exited with ${code}; see ${logFile}`));
    });
  });
}

async function stopFixture(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolvePromise => child.once('exit', resolvePromise));
  child.stdin.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The suite's own summary (everything from "=== SUMMARY ===" on), or the whole output if it has none. */
function summaryOf(output) {
  const start = output.indexOf('=== SUMMARY ===');
  return start === -1 ? output : output.slice(start);
}

async function main() {
  if (!existsSync(FIXTURE))
    throw new Error(`${relative(ROOT, FIXTURE)} is missing: run \`npm run build\` first`);
  const versions = [...new Set(LEGS.map(leg => leg.version))];
  const [node, ...suites] = await Promise.all([installNode(), ...versions.map(installSuite)]);
  const suiteOf = new Map(versions.map((version, index) => [version, suites[index]]));

  const results = join(CACHE, 'results');
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  const logFile = join(results, 'daemon.log');
  const fixture = await startFixture(logFile);
  log(`fixture daemon ready at ${fixture.url}`);
  try {
    for (const [index, leg] of LEGS.entries()) {
      if (interrupted) return;
      const suite = suiteOf.get(leg.version);
      const outputDir = join(results, `leg-${index + 1}`);
      const args = [suite, 'server', '--url', fixture.url, ...leg.args, '--output-dir', outputDir];
      if (leg.baseline) args.push('--expected-failures', leg.baseline);
      const started = performance.now();
      const { code, output } = await run(node, args);
      writeFileSync(join(results, `leg-${index + 1}.log`), output);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (interrupted) return;
      if (code === 0) {
        log(`passed: ${leg.name} (${seconds} s)`);
      } else {
        process.stderr.write(summaryOf(output));
        fail(
          `FAILED: ${leg.name} (exit ${code}); full output in ${relative(ROOT, results)}/leg-${index + 1}.log`,
        );
      }
    }
  } finally {
    await stopFixture(fixture.child);
  }
  if (process.exitCode) {
    log(`daemon log: ${relative(ROOT, logFile)}`);
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping`);
    // SIGTERM lets the fixture close the daemon and delete its temporary home; wait for that (bounded).
    const stopped = [...children].map(
      child =>
        new Promise(resolvePromise => {
          child.once('exit', resolvePromise);
          child.kill('SIGTERM');
        }),
    );
    const deadline = new Promise(resolvePromise => setTimeout(resolvePromise, 10_000).unref());
    void Promise.race([Promise.all(stopped), deadline]).then(() =>
      process.exit(signal === 'SIGINT' ? 130 : 143),
    );
  });
}
// Last resort (an exception on the way out): never leave a child behind.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

main().catch(error => {
  fail(error instanceof Error ? error.message : String(error));
});
