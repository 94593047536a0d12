import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { setConfigTool, unsetConfigTool } from '../../../protocol/tools/system-tools.js';
import { killProcessTool } from '../../../server/agent-tools/tools/kill-process.js';
import { listProcessesTool } from '../../../server/agent-tools/tools/list-processes.js';
import { runShellCommandTool } from '../../../server/agent-tools/tools/run-shell-command.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { survivorsOf } from '../../helpers/process-scan.js';
import { createWorkspaceHome, snapshot, type WorkspaceHome } from '../../helpers/workspace.js';

const SECRETS = {
  OPENAI_API_KEY: 'sk-openai-secret-1',
  ANTHROPIC_API_KEY: 'sk-ant-secret-2',
  AZ_LLM_API_KEY: 'az-llm-secret-3',
  AZ_DB_KEY: 'az-db-secret-4',
  AZ_TOKEN: 'azos_secret-5',
  GITHUB_TOKEN: 'ghp_secret-6',
  DATABASE_URL: 'postgres://user:pw-secret-7@db/app',
};

describe('run_shell_command and background processes (real processes, real bubblewrap)', () => {
  let home: WorkspaceHome;
  let client: AzClient;
  let outsideBefore: Record<string, string>;
  const saved: Record<string, string | undefined> = {};
  const run = (command: string, extra: Record<string, unknown> = {}) =>
    client.call(runShellCommandTool, { command, ...extra }, { timeoutMs: 30_000 });
  const set = (key: string, value: unknown) => client.call(setConfigTool, { key, value });

  beforeAll(async () => {
    home = createWorkspaceHome();
    // The server derives commands' environment from its own; plant secrets in it.
    for (const [name, value] of Object.entries(SECRETS)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    client = await connectInProcess(home.env);
    outsideBefore = snapshot(home.outside);
  });

  afterEach(() => {
    expect(snapshot(home.outside)).toEqual(outsideBefore);
  });

  afterAll(async () => {
    await client?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    home?.cleanup();
  });

  it('runs a command in the workspace and reports exit code, stdout and stderr', async () => {
    mkdirSync(join(home.workspace, 'sub'), { recursive: true });
    const result = await run('pwd; echo oops >&2; exit 3', { cwd: 'sub' });
    expect(result).toMatchObject({
      exit_code: 3,
      timed_out: false,
      status: 'exited',
      sandbox: 'bubblewrap',
      cwd: 'sub',
    });
    expect(result.stdout.trim()).toBe(join(home.workspace, 'sub'));
    expect(result.stderr).toBe('oops\n');
    await expect(run('true', { cwd: '..' })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: /outside/,
    });
  });

  it('keeps the rest of the system read-only, AZ-OS data hidden, /tmp private, and runs as a non-root uid', async () => {
    const result = await run(
      [
        'touch /etc/az-probe 2>/dev/null && echo etc-writable',
        `touch ${home.outside}/planted 2>/dev/null && echo outside-writable`,
        `cat ${home.home}/token 2>/dev/null && echo token-readable`,
        `ls ${home.home} | tr '\\n' ' '; echo`,
        'echo private > /tmp/az-private-probe',
        'echo inside > written.txt',
        'id -u',
      ].join('; '),
    );
    expect(result.stdout).not.toMatch(/etc-writable|outside-writable|token-readable/);
    // The home is an empty tmpfs except the workspace bound back into it.
    expect(result.stdout).toContain('workspaces');
    expect(result.stdout).not.toMatch(/az\.db|token|audit\.key/);
    expect(existsSync('/tmp/az-private-probe')).toBe(false);
    expect(readFileSync(join(home.workspace, 'written.txt'), 'utf8')).toBe('inside\n');
    if (process.getuid?.() === 0) expect(result.stdout.trim().split('\n').at(-1)).toBe('65534');
  });

  it('keeps .git hooks and config read-only inside the sandbox, so nothing can plant code that runs outside it', async () => {
    mkdirSync(join(home.workspace, '.git', 'hooks'), { recursive: true });
    writeFileSync(join(home.workspace, '.git', 'config'), '[core]\n');
    const result = await run(
      'echo evil > .git/hooks/post-checkout || echo refused; echo x >> .git/config || echo refused',
    );
    expect(result.stdout).toBe('refused\nrefused\n');
    expect(existsSync(join(home.workspace, '.git', 'hooks', 'post-checkout'))).toBe(false);
  });

  it('gives commands no network unless the policy allows it', async () => {
    // The probe's shell may close first: a reset on this side is expected, not an error.
    const server: Server = createServer(socket => {
      socket.on('error', () => undefined);
      socket.end('hello\n');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const probe = `exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected || echo no-network`;
    try {
      expect((await run(probe)).stdout).toContain('no-network');
      await set('security.network', true);
      expect((await run(probe)).stdout).toContain('connected');
    } finally {
      await client.call(unsetConfigTool, { key: 'security.network' });
      server.close();
    }
  });

  it('removes secrets from the environment', async () => {
    const result = await run('env');
    for (const value of Object.values(SECRETS)) expect(result.stdout).not.toContain(value);
    expect(result.stdout).not.toMatch(/^AZ_/m);
    expect(result.stdout).toMatch(/^PATH=/m);
  });

  it('strips ANSI and OSC escape sequences from what models see', async () => {
    const result = await run(
      String.raw`printf '\033[31mred\033[0m \033]0;evil title\007 \033]8;;http://evil.example\033\\link\033]8;;\033\\ \033]52;c;Y3VybA==\007done\342\200\256\n'`,
    );
    expect(result.stdout).toBe('red  link done\n');
    expect(result.stdout).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
  });

  it('caps output, keeping its start and end and counting what was dropped', async () => {
    await set('security.shell_output_bytes', 4096);
    try {
      const result = await run("echo START; head -c 200000 /dev/zero | tr '\\0' a; echo; echo END");
      expect(result.stdout.startsWith('START\naaa')).toBe(true);
      expect(result.stdout.endsWith('aaa\nEND\n')).toBe(true);
      expect(result.stdout_dropped_bytes).toBe(200000 + 6 + 1 + 4 - 4096);
      expect(result.stdout).toContain(`[… ${result.stdout_dropped_bytes} bytes dropped …]`);
    } finally {
      await client.call(unsetConfigTool, { key: 'security.shell_output_bytes' });
    }
  });

  for (const sandbox of ['required', 'off'] as const) {
    describe(`with security.sandbox ${sandbox}`, () => {
      beforeAll(() => set('security.sandbox', sandbox));
      afterAll(() => client.call(unsetConfigTool, { key: 'security.sandbox' }));

      it('kills a runaway process tree at the timeout and leaves nothing running', async () => {
        const marker = sandbox === 'off' ? 'sleep 987' : 'sleep 977';
        const started = Date.now();
        const result = await run(`for i in 1 2 3 4 5; do (${marker}; echo late) & done; ${marker}`, {
          timeout_seconds: 2,
        });
        expect(result).toMatchObject({
          timed_out: true,
          status: 'timed_out',
          exit_code: null,
          signal: 'SIGKILL',
        });
        expect(result.sandbox).toBe(sandbox === 'off' ? 'none' : 'bubblewrap');
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(await survivorsOf(marker)).toEqual([]);
      });

      it('returns when the command ends even if a grandchild that left its group holds the pipes', async () => {
        const marker = sandbox === 'off' ? 'sleep 986' : 'sleep 976';
        const result = await run(`setsid sh -c '${marker}; echo never' & echo done`, { timeout_seconds: 60 });
        expect(result).toMatchObject({ exit_code: 0, timed_out: false, stdout: 'done\n' });
        expect(result.duration_ms).toBeLessThan(10_000);
        expect(await survivorsOf(marker)).toEqual([]);
      });
    });
  }

  it('runs background processes that can be listed and killed, with their whole tree', async () => {
    const started = await run('echo ready; sleep 985 & sleep 984; echo never', { background: true });
    expect(started).toMatchObject({ status: 'running', exit_code: null });
    const id = started.process_id as string;
    await new Promise(resolve => setTimeout(resolve, 300));
    const listed = await client.call(listProcessesTool, { process_id: id });
    expect(listed.processes[0]).toMatchObject({ process_id: id, status: 'running', stdout: 'ready\n' });
    const killed = await client.call(killProcessTool, { process_id: id });
    expect(killed).toMatchObject({ was_running: true, status: 'killed' });
    expect(await survivorsOf('sleep 985')).toEqual([]);
    expect(await survivorsOf('sleep 984')).toEqual([]);
    await expect(client.call(killProcessTool, { process_id: 'proc_000000000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('limits how many background processes run at once', async () => {
    await set('security.max_background_processes', 1);
    try {
      const first = await run('sleep 983', { background: true });
      await expect(run('sleep 983', { background: true })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('1 background processes are already running'),
      });
      await client.call(killProcessTool, { process_id: first.process_id as string });
      expect(await survivorsOf('sleep 983')).toEqual([]);
    } finally {
      await client.call(unsetConfigTool, { key: 'security.max_background_processes' });
    }
  });

  it('command rules refuse a command line before any of it runs', async () => {
    await set('security.commands', [{ pattern: 'git push*', action: 'deny' }]);
    try {
      await expect(run('touch ran.txt && GIT_TRACE=1 git push --force origin main')).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringMatching(/git push --force origin main.*command rule 'git push\*' \(deny\)/),
      });
      expect(existsSync(join(home.workspace, 'ran.txt'))).toBe(false);
      expect((await run('echo allowed')).stdout).toBe('allowed\n');
    } finally {
      await client.call(unsetConfigTool, { key: 'security.commands' });
    }
  });
});
