// File and shell tools, measured over MCP against the reference filesystem server
// (@modelcontextprotocol/server-filesystem) on the same files, in the same run, over the same transport
// (stdio, 2025-era protocol for both): `az mcp --tools all` vs `node server-filesystem/dist/index.js DIR`.
//
// Targets (issue 4): read_file at most as slow as the reference (ratio <= 1.0); a runaway command with a 2 s
// timeout that spawned a process tree holding its pipes returns within 2.5 s.
//
// Run after `npm run build`: node bench/tools.js
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const AZ = join(root, 'dist/bin/az.js');
const REFERENCE = join(root, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1000);

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), mean: sorted.reduce((s, v) => s + v, 0) / sorted.length };
}

const fmt = ms => `${ms.toFixed(3)} ms`;

async function connect(command, args, env) {
  const started = performance.now();
  const client = new Client({ name: 'az-bench', version: '0' }, { versionNegotiation: { mode: 'legacy' } });
  await client.connect(new StdioClientTransport({ command, args, env, stderr: 'ignore' }));
  await client.listTools();
  return { client, startupMs: performance.now() - started };
}

function caller(client, name, args, check) {
  return async () => {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content).slice(0, 300)}`);
    check?.(result);
  };
}

/**
 * Times two calls in alternation (A B, B A, A B …), so both see the same machine load, and returns the
 * statistics of each plus the median of the per-pair ratios.
 */
async function compare(a, b) {
  for (let i = 0; i < WARMUP; i += 1) {
    await a();
    if (b) await b();
  }
  const samplesA = [];
  const samplesB = [];
  const time = async (call, into) => {
    const started = performance.now();
    await call();
    into.push(performance.now() - started);
  };
  for (let i = 0; i < ROUNDS; i += 1) {
    if (!b || i % 2 === 0) {
      await time(a, samplesA);
      if (b) await time(b, samplesB);
    } else {
      await time(b, samplesB);
      await time(a, samplesA);
    }
  }
  const pairRatio = b ? stats(samplesA.map((value, index) => value / samplesB[index])).median : undefined;
  return { ours: stats(samplesA), reference: b ? stats(samplesB) : undefined, pairRatio };
}

function makeTree(workspace) {
  const line = 'export function handler(request, response) { return response.send(request.body); }\n';
  writeFileSync(join(workspace, 'small.txt'), 'hello world\n'.repeat(300)); // 3.6 KB
  writeFileSync(join(workspace, 'medium.ts'), line.repeat(800)); // 67 KB
  for (let d = 0; d < 20; d += 1) {
    const dir = join(workspace, 'src', `module${d}`, 'lib');
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 25; f += 1) {
      const body = `${line.repeat(20)}${f === 7 ? 'const needle = "TODO: bench";\n' : ''}`;
      writeFileSync(join(dir, `file${f}.${f % 2 === 0 ? 'ts' : 'js'}`), body);
    }
  }
}

function row(label, { ours, reference, pairRatio }) {
  console.log(
    `${label.padEnd(44)} az-os median ${fmt(ours.median)} p95 ${fmt(ours.p95)}` +
      (reference
        ? ` | reference median ${fmt(reference.median)} p95 ${fmt(reference.p95)}` +
          ` | ratio ${(ours.median / reference.median).toFixed(2)} (medians), ${pairRatio.toFixed(2)} (median of pairs)`
        : ''),
  );
}

const base = mkdtempSync(join(tmpdir(), 'az-bench-tools-'));
const home = join(base, 'home');
const workspace = join(home, 'workspaces');
mkdirSync(workspace, { recursive: true });
makeTree(workspace);
const env = { ...process.env, AZ_HOME: home };
for (const key of Object.keys(env)) if (key.startsWith('AZ_') && key !== 'AZ_HOME') delete env[key];

let ours;
let reference;
try {
  ours = await connect(process.execPath, [AZ, 'mcp', '--tools', 'all'], env);
  reference = await connect(process.execPath, [REFERENCE, workspace], env);
  console.log(
    `files: small.txt 3.6 KB, medium.ts 67 KB, 500 source files in 20 modules; ${ROUNDS} calls each after ${WARMUP} warm-up calls`,
  );
  console.log(
    `startup to first tools/list: az-os ${fmt(ours.startupMs)}, reference ${fmt(reference.startupMs)}`,
  );

  const small = await compare(
    caller(ours.client, 'read_file', { path: 'small.txt' }),
    caller(reference.client, 'read_text_file', { path: join(workspace, 'small.txt') }),
  );
  row('read_file small.txt', small);
  row(
    'read_file medium.ts',
    await compare(
      caller(ours.client, 'read_file', { path: 'medium.ts' }),
      caller(reference.client, 'read_text_file', { path: join(workspace, 'medium.ts') }),
    ),
  );
  // The reference's search_files matches path globs (our find_files); both must find the same files.
  let ourCount = 0;
  let referenceCount = 0;
  row(
    'search by glob **/*.ts (ref search_files)',
    await compare(
      caller(ours.client, 'find_files', { pattern: '**/*.ts', max_results: 1000 }, r => {
        ourCount = r.structuredContent.files.length;
      }),
      caller(reference.client, 'search_files', { path: workspace, pattern: '**/*.ts' }, r => {
        referenceCount = r.structuredContent.content.split('\n').length;
      }),
    ),
  );
  if (ourCount !== referenceCount)
    console.log(`  warning: ${ourCount} files found by az-os, ${referenceCount} by the reference`);
  row(
    'search_files regex over 502 files (az-os only)',
    await compare(
      caller(ours.client, 'search_files', { pattern: 'TODO: \\w+' }, r => {
        if (r.structuredContent.matches.length !== 20)
          throw new Error('search_files found the wrong matches');
      }),
    ),
  );

  // The runaway command: a 2 s timeout, a tree of sleepers, one of which left the process group and holds the
  // pipes. Measured with the sandbox (default) and without it.
  const runaway =
    'for i in 1 2 3 4 5; do (sleep 300; echo late) & done; setsid sh -c "sleep 300" & sleep 300';
  for (const [label, client] of [
    ['bubblewrap', ours.client],
    [
      'no sandbox',
      (await connect(process.execPath, [AZ, 'mcp', '--tools', 'all'], { ...env, AZ_SECURITY_SANDBOX: 'off' }))
        .client,
    ],
  ]) {
    const times = [];
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      const result = await client.callTool({
        name: 'run_shell_command',
        arguments: { command: runaway, timeout_seconds: 2 },
      });
      times.push(performance.now() - started);
      if (!result.structuredContent?.timed_out)
        throw new Error(`runaway was not timed out: ${JSON.stringify(result.content)}`);
    }
    console.log(
      `runaway command, 2 s timeout (${label})`.padEnd(44) +
        ` returned after ${times.map(t => `${(t / 1000).toFixed(2)} s`).join(', ')} (target <= 2.5 s: ${Math.max(...times) <= 2500 ? 'met' : 'MISSED'})`,
    );
    if (client !== ours.client) await client.close();
  }
  const readRatio = small.ours.median / small.reference.median;
  console.log(
    `\nread_file target (ratio <= 1.0 vs reference, median, small file): ${readRatio.toFixed(2)} — ${readRatio <= 1 ? 'met' : 'MISSED'}`,
  );
} finally {
  await ours?.client.close();
  await reference?.client.close();
  rmSync(base, { recursive: true, force: true });
}
