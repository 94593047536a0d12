// Agent engine benchmark (issue 3): 200 tasks × 5 steps against the scripted LLM server (100 ms per reply) at
// concurrency 50, queued on a running engine. Figures: wall time (queue unpaused → all tasks settled) against
// the ideal (tasks × steps × latency / concurrency) and against a baseline measured in the same run (the same
// 1000 requests made straight over HTTP by 50 clients, no engine); the engine's overhead per step, from the
// server's own timestamps (reply sent → next request received) and as CPU time; peak RSS; and whether the
// recorded cost equals the expected value exactly.
//   node bench/agent.js [--tasks 200] [--steps 5] [--latency 100] [--concurrency 50] [--json]
// BENCH_DETAIL=1 adds where a step's time goes; BENCH_PROFILE=FILE writes a CPU profile of the run.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as z from 'zod';
import { ROOT, heading, median, percentile, ratio, row } from './lib.js';

const dist = path => join(ROOT, 'dist', path);
const { composeRuntime } = await import(dist('server/compose.js'));
const { SERVICES } = await import(dist('server/services.js'));
const { implementTool } = await import(dist('server/mcp/tool-definition.js'));
const { defineTool, READ_ONLY } = await import(dist('protocol/tool-contract.js'));

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const TASKS = option('tasks', 200);
const STEPS = option('steps', 5);
const LATENCY = option('latency', 100);
const CONCURRENCY = option('concurrency', 50);
// Every reply: 1000 prompt tokens (400 cached) and 50 completion tokens at gpt-4o-mini prices:
// 600×0.15 + 400×0.075 + 50×0.6 = 90 + 30 + 30 = 150 µ$ per step.
const USAGE = { prompt_tokens: 1000, completion_tokens: 50, cached_tokens: 400 };
const COST_PER_STEP = 150;

const work = mkdtempSync(join(tmpdir(), 'az-bench-agent-'));
const turns = Array.from({ length: STEPS }, (_, index) =>
  index < STEPS - 1
    ? { tool_calls: [{ name: 'azos__bench_echo', arguments: { text: `step ${index}` } }], usage: USAGE }
    : { content: 'done', usage: USAGE },
);
writeFileSync(join(work, 'scenario.json'), JSON.stringify({ name: 'bench', match: '*', turns }));

// The scripted server runs in its own process, so its work is not counted as the engine's.
const server = spawn(
  process.execPath,
  [dist('test/fixtures/scripted-llm/main.js'), join(work, 'scenario.json'), '--latency', String(LATENCY)],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const { url } = JSON.parse(
  await new Promise(done => createInterface({ input: server.stdout }).once('line', done)),
);

/** The baseline: the same requests, each task's steps in sequence, straight over keep-alive HTTP. */
async function baseline() {
  const agent = new http.Agent({ keepAlive: true });
  const target = new URL(`${url}/chat/completions`);
  const post = body =>
    new Promise((resolve, reject) => {
      const data = JSON.stringify(body);
      const request = http.request(target, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      });
      request.on('response', response => {
        const chunks = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      });
      request.on('error', reject);
      request.end(data);
    });
  let next = 0;
  const worker = async () => {
    for (let task = next++; task < TASKS; task = next++) {
      const messages = [{ role: 'user', content: `baseline ${task}` }];
      for (let step = 0; step < STEPS; step += 1) {
        const reply = await post({ model: 'gpt-4o-mini', messages });
        messages.push(reply.choices[0].message);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  return performance.now() - started;
}

const echo = defineTool({
  name: 'bench_echo',
  title: 'Echo',
  description: 'Returns its text.',
  input: () => z.strictObject({ text: z.string() }),
  output: () => z.object({ text: z.string() }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
});
const benchTools = ({ addTools }) => addTools([implementTool(echo, args => ({ text: args.text }))]);

const home = join(work, 'home');
mkdirSync(home);
const env = { ...process.env, AZ_HOME: home, AZ_TASKS_AUTOSTART_DAEMON: 'false' };
for (const key of Object.keys(env)) {
  if (key.startsWith('AZ_') && !['AZ_HOME', 'AZ_TASKS_AUTOSTART_DAEMON'].includes(key)) delete env[key];
}
writeFileSync(
  join(home, 'config.json'),
  JSON.stringify({
    llm: { provider: 'custom', base_url: url, max_retries: 0 },
    tasks: { concurrency: CONCURRENCY, max_steps: STEPS + 1, paused: true },
    // The engine alone: memory retrieval and checkpoints are measured by their own benchmarks.
    memory: { enabled: false },
    checkpoints: { enabled: false },
  }),
);

const baselineMs = await baseline();
// The code that runs tasks loads on first use; load it now, as a server does at start-up, not in the timing.
await Promise.all([
  ...['server/agent/task-run.js', 'server/llm/gateway.js', 'server/agent/schema-validators.js'].map(
    path => import(dist(path)),
  ),
  import(dist('server/llm/openai-sdk.js')).then(module => module.loadOpenAI()),
]);
const runtime = await composeRuntime({ env }, 'daemon', { runTasks: true }, [...SERVICES, benchTools]);
const { core } = runtime;
// A running server, as `az serve` is once it listens, with the queue paused: its start-up (recovery, listing its
// own tools for the agent) is timed on its own, and the tasks are queued (a workspace directory each) before
// the clock starts. Unpausing starts the clock, as `az config set tasks.paused false` would.
const startingAt = performance.now();
await runtime.start();
const startupMs = performance.now() - startingAt;
for (let index = 0; index < TASKS; index += 1) core.tasks.create({ prompt: `bench task ${index}` }, 'bench');
const settled = core.db.prepare(
  "SELECT count(*) AS n FROM tasks WHERE status IN ('COMPLETED', 'FAILED', 'FINALIZED')",
);

let profiler;
if (process.env.BENCH_PROFILE) {
  const { Session } = await import('node:inspector/promises');
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);
const started = performance.now();
const cpuBefore = process.cpuUsage();
// A configuration change wakes the queue at once.
core.configService.set('tasks.paused', false);
while (settled.get().n < TASKS) await new Promise(done => setTimeout(done, 5));
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
// The process's peak so far (the kernel's count, between samples too); what follows only reads results.
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
if (profiler)
  writeFileSync(process.env.BENCH_PROFILE, JSON.stringify((await profiler.post('Profiler.stop')).profile));

const completed = core.taskStore.countsByStatus().COMPLETED ?? 0;
const cost = core.db
  .prepare(
    'SELECT coalesce(sum(cost_micro_usd), 0) AS total, coalesce(sum(unknown_cost_calls), 0) AS unknown FROM tasks',
  )
  .get();
const log = (await (await fetch(url.replace(/\/v1$/, '/__log'))).json()).requests.filter(request =>
  request.prompt.startsWith('bench task'),
);
const journal = core.db
  .prepare(
    'SELECT t.prompt, j.kind, j.step, j.started_at, j.finished_at FROM agent_journal j JOIN tasks t ON t.id = j.task_id ORDER BY j.seq',
  )
  .all();
await runtime.close();
server.kill('SIGTERM');
rmSync(work, { recursive: true, force: true });

// Overhead per step: reply of step k leaving the server → request of step k+1 arriving.
const byTask = new Map();
for (const request of log) byTask.set(request.prompt, [...(byTask.get(request.prompt) ?? []), request]);
const gaps = [];
for (const list of byTask.values()) {
  list.sort((a, b) => a.turn - b.turn);
  for (let index = 1; index < list.length; index += 1)
    gaps.push(list[index].receivedAt - list[index - 1].respondedAt);
}
const ideal = (TASKS * STEPS * LATENCY) / CONCURRENCY;
const expectedCost = TASKS * STEPS * COST_PER_STEP;
const figures = {
  tasks: TASKS,
  steps: STEPS,
  latency_ms: LATENCY,
  concurrency: CONCURRENCY,
  completed,
  wall_ms: Math.round(wallMs),
  startup_ms: Math.round(startupMs),
  ideal_ms: ideal,
  baseline_ms: Math.round(baselineMs),
  wall_vs_ideal: Number((wallMs / ideal).toFixed(3)),
  wall_vs_baseline: Number((wallMs / baselineMs).toFixed(3)),
  overhead_per_step_ms: { median: median(gaps), p95: percentile(gaps, 95) },
  engine_cpu_per_step_ms: Number(((cpu.user + cpu.system) / 1000 / (TASKS * STEPS)).toFixed(2)),
  peak_rss_mb: Math.round(peakRss / 1048576),
  cost_micro_usd: cost.total,
  expected_cost_micro_usd: expectedCost,
  cost_exact: cost.total === expectedCost && cost.unknown === 0,
};

if (argv.includes('--json')) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  heading(
    `agent engine: ${TASKS} tasks × ${STEPS} steps, ${LATENCY} ms per reply, concurrency ${CONCURRENCY}`,
  );
  row('tasks completed', `${completed}/${TASKS}`);
  row('engine start-up (before the clock starts)', `${figures.startup_ms} ms`);
  row('wall time', `${figures.wall_ms} ms`, `${ratio(wallMs, ideal)} ideal (${ideal} ms) — target ≤ 1.2×`);
  row(
    'baseline: same requests over plain HTTP, no engine',
    `${figures.baseline_ms} ms`,
    `engine ${ratio(wallMs, baselineMs)} baseline`,
  );
  row(
    'engine overhead per step, median (reply → next request)',
    `${figures.overhead_per_step_ms.median} ms`,
    `p95 ${figures.overhead_per_step_ms.p95} ms — target ≤ 5 ms`,
  );
  row('engine CPU per step (whole process)', `${figures.engine_cpu_per_step_ms} ms`);
  row('peak RSS', `${figures.peak_rss_mb} MB`, 'target ≤ 300 MB');
  row(
    'cost recorded',
    `${figures.cost_micro_usd} µ$`,
    figures.cost_exact ? 'exactly as expected' : `EXPECTED ${expectedCost} µ$`,
  );
}
if (process.env.BENCH_DETAIL) {
  // Where a step's time goes inside the engine, from the journal's timestamps (ms, medians).
  const served = new Map(log.map(request => [`${request.prompt}\u0000${request.turn}`, request]));
  const phases = { intent_to_server: [], server_to_recorded: [], tool: [] };
  for (const entry of journal) {
    if (entry.kind === 'tool') phases.tool.push(entry.finished_at - entry.started_at);
    const request = entry.kind === 'llm' ? served.get(`${entry.prompt}\u0000${entry.step - 1}`) : undefined;
    if (!request) continue;
    phases.intent_to_server.push(request.receivedAt - entry.started_at);
    phases.server_to_recorded.push(entry.finished_at - request.respondedAt);
  }
  console.log(
    'phases (median ms):',
    Object.fromEntries(Object.entries(phases).map(([key, values]) => [key, median(values)])),
  );
}
if (!figures.cost_exact || completed !== TASKS) process.exitCode = 1;
