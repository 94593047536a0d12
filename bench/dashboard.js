// Dashboard benchmark (issue 6). Run after `npm run build`: `node bench/dashboard.js` (or `npm run bench`).
//
//  1. Start-up: time from spawning `az dashboard` in a pseudo-terminal to the first frame that shows tasks
//     (1,000 of them on a real `az serve`), against bare Node start-up (`node -e 0`) through the same
//     pseudo-terminal, interleaved in the same run.
//  2. Rendering: the dashboard (the built bundle, over MCP/HTTP to the same server) with 1,000 tasks while a
//     separate process makes 50 task updates a second through MCP: frame time (from the store's change to the
//     frame written) p50/p95, Ink's own render time, event-loop delay, RSS.
//  3. No dropped updates: after the last update, the dashboard's tasks and its final frame must equal the
//     server's state.
//
// Options: --tasks N (1000), --rate N updates/s (50), --seconds N (10), --runs N start-up runs (7).
import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AZ, median, ms, percentile, startServer, tempHome } from './lib.js';

const { values: options } = parseArgs({
  options: {
    tasks: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '7' },
    'skip-startup': { type: 'boolean', default: false },
    drive: { type: 'string' },
  },
});

const sleep = delay => new Promise(done => setTimeout(done, delay));
const mb = bytes => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const row = (label, value) => console.log(`  ${label.padEnd(42)}${value}`);
const spread = values => `p50 ${ms(percentile(values, 50))}  p95 ${ms(percentile(values, 95))}`;

async function mcpClient(url, token) {
  const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  const { AzClient } = await import('../dist/protocol/client.js');
  const sdk = new Client({ name: 'az-bench', version: '0.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await sdk.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}`, 'X-AZ-Tool-Profile': 'all' } },
    }),
  );
  return new AzClient(sdk);
}

// --drive URL: the update generator, in its own process so its work does not share the dashboard's thread.
// Each tick alternates between cancelling a queued task and creating a new one: one task update per tick.
if (options.drive) {
  const tools = await import('../dist/protocol/tools/task-tools.js');
  const client = await mcpClient(options.drive, process.env.AZ_TOKEN);
  const rate = Number(options.rate);
  const total = rate * Number(options.seconds);
  const queued = JSON.parse(process.env.AZ_BENCH_QUEUED ?? '[]');
  const started = performance.now();
  let sent = 0;
  const inFlight = new Set();
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const call =
      index % 2 === 0 && queued.length > 0
        ? client.call(tools.cancelTaskTool, { task_id: queued.pop() })
        : client.call(tools.createTaskTool, { prompt: `update ${index}`, start: true });
    const tracked = call.then(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    sent += 1;
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ sent, seconds }));
  await client.close();
  process.exit(0);
}

/** Resident memory of the process `script` runs (its only child, exec'd into the command). */
function childRss(scriptPid) {
  try {
    const pid = spawnSync('pgrep', ['-P', String(scriptPid)], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')[0];
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
  } catch {
    return NaN;
  }
}

/**
 * Spawns `command` in a pseudo-terminal (util-linux `script`) sized 120x40. With a marker: the time until the
 * output shows it; with `holdMs`, quits that long after it (RSS is read just before).
 */
function inTerminal(command, env, marker, holdMs = 0) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], {
      env,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let output = '';
    let seen;
    let rss;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', chunk => {
      output += chunk;
      if (marker && seen === undefined && output.includes(marker)) {
        seen = performance.now() - started;
        setTimeout(() => {
          if (holdMs > 0) rss = childRss(child.pid);
          child.stdin.write('q');
        }, holdMs);
      }
    });
    child.on('error', fail);
    child.on('exit', () => {
      clearTimeout(timer);
      const exited = performance.now() - started;
      if (marker && seen === undefined)
        fail(new Error(`never saw '${marker}'; output:\n${output.slice(-2000)}`));
      else done({ seen, exited, rss });
    });
  });
}

/** A terminal for an in-process Ink: 120x40, records when frames are written. */
class BenchTerminal extends EventEmitter {
  columns = 120;
  rows = 40;
  isTTY = true;
  last = '';
  writes = [];
  write(chunk) {
    const text = String(chunk);
    // Ink brackets each frame with short synchronized-output codes; count and keep the frames themselves.
    if (text.length > 16) {
      this.writes.push(performance.now());
      this.last = text;
    }
    return true;
  }
}

class BenchInput extends EventEmitter {
  isTTY = false;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return null;
  }
}

// Without colour or cursor codes the last frame is plain text; strip what log-update adds anyway.
const plain = text => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

async function main() {
  if (spawnSync('script', ['--version']).status !== 0) {
    throw new Error('the start-up benchmark needs `script` (util-linux) for a pseudo-terminal');
  }
  const taskCount = Number(options.tasks);
  const home = tempHome('az-bench-dashboard-');
  const env = { ...home.env, NO_COLOR: '1' };
  // Ink draws only the last frame when it thinks it runs in CI.
  for (const key of Object.keys(env))
    if (/^(CI|CONTINUOUS_INTEGRATION|BUILD_NUMBER|RUN_ID)$|^CI_/.test(key)) delete env[key];
  // The tasks are what the dashboard shows, not work: with the queue running and no LLM here, each would fail
  // and be retried with backoff, so the server's state would keep moving after the driver stops and the
  // comparison below would measure that instead of lost updates.
  writeFileSync(`${home.home}/config.json`, JSON.stringify({ tasks: { paused: true } }));
  const init = spawnSync(process.execPath, [AZ, 'db', 'init'], { env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`az db init failed: ${init.stderr}`);
  const server = await startServer(env);
  const token = server.token;
  try {
    const tools = await import('../dist/protocol/tools/task-tools.js');
    const client = await mcpClient(server.url, token);
    const queued = [];
    for (let index = 0; index < taskCount; index += 25) {
      const batch = Array.from({ length: Math.min(25, taskCount - index) }, (_, offset) =>
        client.call(tools.createTaskTool, { prompt: `bench task ${index + offset}` }),
      );
      for (const { task } of await Promise.all(batch)) queued.push(task.id);
    }
    const newest = (await client.call(tools.listTasksTool, { limit: 1 })).tasks[0].title;
    console.log(`dashboard benchmark: ${taskCount} tasks on ${server.url}, Node ${process.version}`);
    const load = os
      .loadavg()
      .map(value => value.toFixed(2))
      .join(' ');
    console.log(`machine: ${os.cpus().length} CPUs, load average ${load} (timings stretch with load)`);

    // 1. Start-up, interleaved with the baseline so machine load hits both alike.
    const runs = options['skip-startup'] ? 0 : Number(options.runs);
    const bare = [];
    const version = [];
    const firstFrame = [];
    if (runs > 0) await inTerminal(`'${process.execPath}' '${AZ}' dashboard`, env, newest); // warm file cache
    for (let run = 0; run < runs; run += 1) {
      bare.push((await inTerminal(`'${process.execPath}' -e 0`, env)).exited);
      version.push((await inTerminal(`'${process.execPath}' '${AZ}' --version`, env)).exited);
      firstFrame.push((await inTerminal(`'${process.execPath}' '${AZ}' dashboard`, env, newest)).seen);
    }
    if (runs > 0) {
      // Memory of the real dashboard process once the whole list is in.
      const settled = await inTerminal(`'${process.execPath}' '${AZ}' dashboard`, env, newest, 3000);
      const idle = await inTerminal(
        `'${process.execPath}' -e "setTimeout(() => {}, 3000); console.log('up')"`,
        env,
        'up',
        500,
      );
      console.log(`\nstart-up (pseudo-terminal 120x40, median of ${runs} runs, interleaved)`);
      row('bare node (node -e 0, spawn to exit)', ms(median(bare)));
      row(
        'az --version (spawn to exit)',
        `${ms(median(version))}  (${(median(version) / median(bare)).toFixed(2)}x)`,
      );
      row(
        'az dashboard, first frame with tasks',
        `${ms(median(firstFrame))}  (min ${ms(Math.min(...firstFrame))})`,
      );
      row(
        'ratio first frame / bare node',
        `${(median(firstFrame) / median(bare)).toFixed(2)}x  (target <= 3x)`,
      );
      row('RSS of az dashboard, 3 s after start', `${mb(settled.rss)}  (bare node: ${mb(idle.rss)})`);
    }

    // 2. Rendering under load, in this process (the built dashboard bundle), the driver in another.
    const { createDashboardStore, connectHttp, loadRenderer } = await import('../dist/tui/index.js');
    const { renderDashboard } = await loadRenderer();
    const store = createDashboardStore({
      connect: events => connectHttp({ url: server.url, token }, events),
      statusPollMs: 60_000,
    });
    const terminal = new BenchTerminal();
    const inkTimes = [];
    const frameTimes = [];
    const frameCpu = [];
    let changedAt;
    let changedCpu = 0;
    const cpuNow = () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    };
    store.subscribe(() => {
      if (changedAt !== undefined) return;
      changedAt = performance.now();
      changedCpu = cpuNow();
    });
    store.start();
    const instance = renderDashboard({
      store,
      colour: false,
      stdout: terminal,
      stdin: new BenchInput(),
      stderr: terminal,
      // Frame time: from the store's change to Ink having drawn the frame (React render, layout, output).
      onRender: ({ renderTime }) => {
        inkTimes.push(renderTime);
        if (changedAt !== undefined) {
          frameTimes.push(performance.now() - changedAt);
          frameCpu.push(cpuNow() - changedCpu);
        }
        changedAt = undefined;
      },
    });
    while (!store.getState().tasksLoaded || store.getState().tasks.length < taskCount) await sleep(20);
    await sleep(500);
    inkTimes.length = 0;
    frameTimes.length = 0;
    frameCpu.length = 0;
    const writesBefore = terminal.writes.length;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const refreshesBefore = store.stats().refreshes;
    const notificationsBefore = store.stats().notifications;
    const rssSamples = [];
    const sampler = setInterval(() => rssSamples.push(process.memoryUsage().rss), 250);
    const driven = await new Promise((done, fail) => {
      const child = spawn(
        process.execPath,
        [import.meta.filename, '--drive', server.url, '--rate', options.rate, '--seconds', options.seconds],
        {
          env: { ...env, AZ_TOKEN: token, AZ_BENCH_QUEUED: JSON.stringify(queued) },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', chunk => (stdout += chunk));
      child.stderr.on('data', chunk => (stderr += chunk));
      child.on('exit', code =>
        code === 0 ? done(JSON.parse(stdout)) : fail(new Error(`driver: ${stderr}`)),
      );
    });
    delay.disable();

    // 3. Let the last notifications arrive, then compare with the server. The server keeps moving a little
    // after the driver stops (a cancelled task is finalized a moment later), so the truth is read again until
    // the store holds it twice in a row, 300 ms apart.
    const readTruth = async () => {
      const tasks = [];
      let cursor;
      do {
        const page = await client.call(tools.listTasksTool, { limit: 200, ...(cursor ? { cursor } : {}) });
        tasks.push(...page.tasks);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return tasks;
    };
    const key = task => `${task.id} ${task.status} ${task.updated_at}`;
    const storeHolds = tasks => store.getState().tasks.map(key).join('\n') === tasks.map(key).join('\n');
    const settleStarted = performance.now();
    let truth = await readTruth();
    let settledAfter;
    let storeMatches = false;
    while (performance.now() - settleStarted < 10_000) {
      if (storeHolds(truth)) {
        settledAfter ??= performance.now() - settleStarted;
        await sleep(300);
        const again = await readTruth();
        storeMatches = storeHolds(again);
        if (storeMatches && again.map(key).join('\n') === truth.map(key).join('\n')) break;
        truth = again;
        settledAfter = undefined;
      } else {
        await sleep(20);
      }
    }
    settledAfter ??= performance.now() - settleStarted;
    if (!storeMatches) {
      const mine = new Set(store.getState().tasks.map(key));
      const theirs = new Set(truth.map(key));
      console.log(
        `  only in the dashboard: ${[...mine]
          .filter(row => !theirs.has(row))
          .slice(0, 5)
          .join('; ')}`,
      );
      console.log(
        `  only on the server: ${[...theirs]
          .filter(row => !mine.has(row))
          .slice(0, 5)
          .join('; ')}`,
      );
    }
    clearInterval(sampler);
    const frame = plain(terminal.last);
    const visible = truth.slice(0, 40 - 1 - 5);
    const missing = visible.filter(
      task => !new RegExp(`${task.status}\\s+${task.id.slice(0, 8)}\\s+${task.title}\\s`).test(frame),
    );
    const frameMatches =
      frame.includes(`${truth.length.toLocaleString('en-US')} tasks`) && missing.length === 0;
    if (!frameMatches) {
      console.log(
        `  missing from the final frame: ${missing.map(task => `${task.status} ${task.title}`).join(', ')}`,
      );
      console.log(frame);
    }
    const stats = store.stats();
    const frames = terminal.writes.length - writesBefore;
    const seconds = driven.seconds;
    console.log(
      `\nrendering: ${truth.length} tasks at the end, ${driven.sent} updates in ${seconds.toFixed(1)} s`,
    );
    console.log(
      `  (${(driven.sent / seconds).toFixed(1)}/s, one MCP create or cancel each, from another process)`,
    );
    row(
      'frame time (change -> frame drawn)',
      `${spread(frameTimes)}  max ${ms(Math.max(...frameTimes))}  (target p95 <= 16 ms)`,
    );
    row('frame CPU time (same span)', `${spread(frameCpu)}  (the wall time less waiting for a CPU)`);
    row('Ink render (layout + output)', spread(inkTimes));
    row('frames drawn', `${frames} (${(frames / seconds).toFixed(1)}/s; at most 60/s)`);
    row('event-loop delay', `p50 ${ms(delay.percentile(50) / 1e6)}  p95 ${ms(delay.percentile(95) / 1e6)}`);
    row(
      'notifications heard / list reads',
      `${stats.notifications - notificationsBefore} / ${stats.refreshes - refreshesBefore}`,
    );
    row(
      'RSS (dashboard + this harness)',
      `median ${mb(median(rssSamples))}  max ${mb(Math.max(...rssSamples))}`,
    );
    row(
      'no dropped updates: store = server',
      `${storeMatches ? 'yes' : 'NO'} (settled ${ms(settledAfter)} after the last update)`,
    );
    row('final frame matches the server', frameMatches ? 'yes' : 'NO');
    instance.unmount();
    await store.close();
    await client.close();
    if (!storeMatches || !frameMatches) process.exitCode = 1;
  } finally {
    await server.stop();
    home.cleanup();
  }
}

await main();
