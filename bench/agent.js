// Agent engine benchmark: 200 tasks × 5 steps against the scripted LLM server (100 ms per reply) at
// concurrency 50. Prints wall time against the ideal (tasks × steps × latency / concurrency), the engine's
// overhead per step (from the server's own timestamps: reply sent → next request received), peak RSS, and
// checks that the recorded cost equals the expected value exactly. Run after `npm run build`:
//   node bench/agent.js [--tasks 200] [--steps 5] [--latency 100] [--concurrency 50]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import * as z from 'zod';

const root = resolve(import.meta.dirname, '..');
const dist = path => join(root, 'dist', path);
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
// Usage per reply: 1000 prompt tokens (400 cached), 50 completion tokens at gpt-4o-mini prices:
// 600×0.15 + 400×0.075 + 50×0.6 = 90 + 30 + 30 = 150 µ$ per step.
const COST_PER_STEP = 150;

const work = mkdtempSync(join(tmpdir(), 'az-bench-'));
const scenario = {
  name: 'bench',
  match: '*',
  turns: Array.from({ length: STEPS }, (_, index) =>
    index < STEPS - 1
      ? {
          tool_calls: [{ name: 'azos__bench_echo', arguments: { text: `step ${index}` } }],
          usage: { prompt_tokens: 1000, completion_tokens: 50, cached_tokens: 400 },
        }
      : { content: 'done', usage: { prompt_tokens: 1000, completion_tokens: 50, cached_tokens: 400 } },
  ),
};
writeFileSync(join(work, 'scenario.json'), JSON.stringify(scenario));

// The scripted server runs in its own process, so its work is not counted as the engine's.
const server = spawn(
  process.execPath,
  [dist('test/fixtures/scripted-llm/main.js'), join(work, 'scenario.json'), '--latency', String(LATENCY)],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const { url } = JSON.parse(
  await new Promise(done => createInterface({ input: server.stdout }).once('line', done)),
);

const home = join(work, 'home');
const echo = defineTool({
  name: 'bench_echo',
  title: 'Echo',
  description: 'Returns its text.',
  input: z.strictObject({ text: z.string() }),
  output: z.object({ text: z.string() }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
});
const benchTools = ({ addTools }) => addTools([implementTool(echo, args => ({ text: args.text }))]);
const env = { ...process.env, AZ_HOME: home, AZ_TASKS_AUTOSTART_DAEMON: 'false' };
for (const key of Object.keys(env))
  if (key.startsWith('AZ_') && !['AZ_HOME', 'AZ_TASKS_AUTOSTART_DAEMON'].includes(key)) delete env[key];
const { mkdirSync } = await import('node:fs');
mkdirSync(home, { recursive: true });
writeFileSync(
  join(home, 'config.json'),
  JSON.stringify({
    llm: { provider: 'custom', base_url: url, max_retries: 0 },
    tasks: { concurrency: CONCURRENCY, max_steps: STEPS + 1 },
    // The engine alone: memory retrieval and checkpoints are measured by their own benchmarks.
    memory: { enabled: false },
    checkpoints: { enabled: false },
  }),
);

const runtime = await composeRuntime({ env }, 'daemon', { runTasks: true }, [...SERVICES, benchTools]);
const { core } = runtime;
for (let index = 0; index < TASKS; index += 1) core.tasks.create({ prompt: `bench task ${index}` }, 'bench');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const settled = core.db.prepare(
  "SELECT count(*) AS n FROM tasks WHERE status IN ('COMPLETED', 'FAILED', 'FINALIZED')",
);
let profiler;
if (process.env.BENCH_PROFILE) {
  // Profile the run only (not start-up or task creation); written to BENCH_PROFILE as a .cpuprofile.
  const { Session } = await import('node:inspector/promises');
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const started = performance.now();
const cpuBefore = process.cpuUsage();
await runtime.start();
while (settled.get().n < TASKS) await new Promise(done => setTimeout(done, 5));
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(profile));
}
clearInterval(sampler);

const counts = core.taskStore.countsByStatus();
const cost = core.db
  .prepare('SELECT coalesce(sum(cost_micro_usd), 0) AS total, sum(unknown_cost_calls) AS unknown FROM tasks')
  .get();
const log = await (await fetch(url.replace(/\/v1$/, '/__log'))).json();
const journal = core.db
  .prepare('SELECT task_id, kind, step, started_at, finished_at FROM agent_journal ORDER BY seq')
  .all();
const prompts = new Map(
  core.db
    .prepare('SELECT id, prompt FROM tasks')
    .all()
    .map(row => [row.id, row.prompt]),
);
await runtime.close();
server.kill('SIGTERM');

// Engine overhead per step: from the reply of step k leaving the server to the request of step k+1 arriving.
const byTask = new Map();
for (const request of log.requests) {
  const list = byTask.get(request.prompt) ?? [];
  list.push(request);
  byTask.set(request.prompt, list);
}
const gaps = [];
for (const list of byTask.values()) {
  list.sort((a, b) => a.turn - b.turn);
  for (let index = 1; index < list.length; index += 1)
    gaps.push(list[index].receivedAt - list[index - 1].respondedAt);
}
gaps.sort((a, b) => a - b);
if (process.env.BENCH_DETAIL) {
  // Where a step's time goes inside the engine, from the journal's own timestamps (ms).
  const phases = {
    reply_to_tool: [],
    tool: [],
    tool_to_next_call: [],
    intent_to_server: [],
    server_to_recorded: [],
  };
  const served = new Map(log.requests.map(request => [`${request.prompt}\u0000${request.turn}`, request]));
  for (const row of journal) {
    if (row.kind !== 'llm') continue;
    const request = served.get(`${prompts.get(row.task_id)}\u0000${row.step - 1}`);
    if (!request) continue;
    phases.intent_to_server.push(request.receivedAt - row.started_at);
    phases.server_to_recorded.push(row.finished_at - request.respondedAt);
  }
  const rowsByTask = new Map();
  for (const row of journal) rowsByTask.set(row.task_id, [...(rowsByTask.get(row.task_id) ?? []), row]);
  for (const rows of rowsByTask.values()) {
    for (let index = 1; index < rows.length; index += 1) {
      const previous = rows[index - 1];
      const row = rows[index];
      if (previous.kind === 'llm' && row.kind === 'tool')
        phases.reply_to_tool.push(row.started_at - previous.finished_at);
      if (row.kind === 'tool') phases.tool.push(row.finished_at - row.started_at);
      if (previous.kind === 'tool' && row.kind === 'llm')
        phases.tool_to_next_call.push(row.started_at - previous.finished_at);
    }
  }
  const median = values => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    'engine phases (median ms):',
    Object.fromEntries(Object.entries(phases).map(([key, values]) => [key, median(values)])),
  );
}
const quantile = q => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? NaN;
const ideal = (TASKS * STEPS * LATENCY) / CONCURRENCY;
const expectedCost = TASKS * STEPS * COST_PER_STEP;
const maxRssMb = process.resourceUsage().maxRSS / 1024;

const figures = {
  tasks: TASKS,
  steps_per_task: STEPS,
  latency_ms: LATENCY,
  concurrency: CONCURRENCY,
  completed: counts.COMPLETED ?? 0,
  wall_ms: Math.round(wallMs),
  ideal_ms: ideal,
  wall_vs_ideal: Number((wallMs / ideal).toFixed(3)),
  overhead_per_step_ms: { median: quantile(0.5), p95: quantile(0.95), max: gaps.at(-1) },
  engine_cpu_per_step_ms: Number(((cpu.user + cpu.system) / 1000 / (TASKS * STEPS)).toFixed(2)),
  peak_rss_mb: Math.round(Math.max(peakRss / 1024 / 1024, maxRssMb)),
  cost_micro_usd: cost.total,
  expected_cost_micro_usd: expectedCost,
  cost_exact: cost.total === expectedCost && (cost.unknown ?? 0) === 0,
};
console.log(JSON.stringify(figures, null, 2));
console.log(
  `targets: overhead median ≤ 5 ms: ${figures.overhead_per_step_ms.median <= 5 ? 'met' : 'MISSED'}; ` +
    `wall ≤ 1.2× ideal: ${figures.wall_vs_ideal <= 1.2 ? 'met' : 'MISSED'}; RSS ≤ 300 MB: ${figures.peak_rss_mb <= 300 ? 'met' : 'MISSED'}; ` +
    `cost exact: ${figures.cost_exact ? 'yes' : 'NO'}`,
);
rmSync(work, { recursive: true, force: true });
