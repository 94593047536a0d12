/**
 * `az mcp` as Agent Zero runs it: a new process for every call over stdio. Each process answers (tools/list
 * with the small core profile; create_task returning the task id at once), exits as soon as its client closes
 * stdin, and leaves nothing behind but the server it starts on demand to run the queued task.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZ_BIN, runAz } from '../helpers/processes.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

interface Exchange {
  responses: Record<string, unknown>[];
  /** How long after stdin closed the process exited. */
  exitMs: number;
  code: number | null;
  pid: number;
}

/** One Agent-Zero-style session: initialize, one request, close stdin, wait for the exit. */
function session(
  env: Record<string, string | undefined>,
  request: Record<string, unknown>,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AZ_BIN, 'mcp'], {
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const responses: Record<string, unknown>[] = [];
    let buffer = '';
    let closedAt = 0;
    const send = (message: Record<string, unknown>): void => {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    };
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', chunk => {
      buffer += String(chunk);
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (!line.trim()) continue;
        const message = JSON.parse(line) as Record<string, unknown>;
        if (message.id === undefined) continue;
        responses.push(message);
        if (message.id === 1) {
          send({ method: 'notifications/initialized' });
          send({ id: 2, ...request });
        } else if (message.id === 2) {
          closedAt = Date.now();
          child.stdin.end();
        }
      }
    });
    child.on('error', reject);
    child.on('exit', code => {
      clearTimeout(killer);
      resolve({ responses, exitMs: closedAt ? Date.now() - closedAt : -1, code, pid: child.pid as number });
    });
    send({
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'agent-zero-like', version: '1' },
      },
    });
  });
}

/** Processes that belong to this home: its AZ_HOME in their environment, or its path on their command line. */
function processesOf(home: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline === '') continue; // a zombie
      if (environ.includes(`AZ_HOME=${home}`) || cmdline.includes(home)) found.push(pid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

describe('az mcp spawned per call, as Agent Zero does', () => {
  let temp: TempHome;
  let env: Record<string, string | undefined>;
  const serverPid = (): number | undefined => {
    const file = join(temp.home, 'server.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : undefined;
  };

  beforeAll(() => {
    temp = createTempHome('az-mcp-per-call-');
    // Servers start on demand here (the queue stays paused: no LLM is needed to prove it).
    env = { ...temp.env, AZ_TASKS_AUTOSTART_DAEMON: undefined };
  });

  afterAll(() => {
    const pid = serverPid();
    if (pid) process.kill(pid, 'SIGKILL');
    temp.cleanup();
  });

  it('lists at most 12 tools in the default profile, then exits when stdin closes', async () => {
    const listed = await session(env, { method: 'tools/list' });
    const tools = (listed.responses[1]?.result as { tools: { name: string }[] }).tools.map(tool => tool.name);
    expect(tools.length).toBeGreaterThanOrEqual(6);
    expect(tools.length).toBeLessThanOrEqual(12);
    expect(tools).toEqual(expect.arrayContaining(['create_task', 'get_task', 'wait_task', 'run_task']));
    expect(listed.code).toBe(0);
    expect(listed.exitMs).toBeGreaterThanOrEqual(0);
    // Nothing was queued: nothing runs for this home any more.
    expect(processesOf(temp.home)).toEqual([]);
  });

  it('starts no server for a command that queues nothing, a configuration change included', async () => {
    for (const args of [
      ['task', 'list'],
      ['config', 'set', 'llm.provider', 'claude'],
      ['config', 'set', 'tasks.concurrency', '3'],
      ['config', 'unset', 'tasks.concurrency'],
    ]) {
      const result = await runAz(args, { env });
      expect(result.code, args.join(' ')).toBe(0);
    }
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(serverPid()).toBeUndefined();
    expect(existsSync(join(temp.home, 'logs', 'server-launch'))).toBe(false);
    expect(processesOf(temp.home)).toEqual([]);
  });

  it('creates a task, returns its id at once, exits, and leaves only the server started on demand', async () => {
    const created = await session(env, {
      method: 'tools/call',
      params: { name: 'create_task', arguments: { prompt: 'queued by a one-shot az mcp' } },
    });
    expect(created.code).toBe(0);
    const result = created.responses[1]?.result as {
      structuredContent: { task: { id: string; status: string } };
      content: { type: string; text: string }[];
    };
    expect(result.structuredContent.task.status).toBe('PENDING');
    // Agent Zero passes the model only the text: it holds the id too.
    expect(JSON.parse(result.content[0]?.text ?? '{}').task.id).toBe(result.structuredContent.task.id);

    await expect.poll(serverPid, { timeout: 15_000 }).toBeDefined();
    const server = serverPid() as number;
    expect(server).not.toBe(created.pid);
    // The az mcp process is gone; the on-demand server (and nothing else) runs for this home.
    await expect.poll(() => processesOf(temp.home), { timeout: 5000 }).toEqual([server]);
  });

  it('stops the on-demand server cleanly on SIGTERM, even while it is still starting', async () => {
    const server = serverPid() as number;
    process.kill(server, 'SIGTERM');
    await expect.poll(() => processesOf(temp.home), { timeout: 15_000 }).toEqual([]);
    expect(existsSync(join(temp.home, 'server.json'))).toBe(false);
  });
});
