import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAz, startDaemon } from '../helpers/processes.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

describe('az (the built CLI, spawned as a user runs it)', () => {
  let temp: TempHome;
  const az = (args: string[], env: Record<string, string | undefined> = temp.env) => runAz(args, { env });

  beforeEach(() => {
    temp = createTempHome();
  });

  afterEach(() => temp.cleanup());

  it('prints help with the exit codes, and exits 2 on an unknown command', async () => {
    const help = await az(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('task list');
    expect(help.stdout).toContain('Exit codes');
    const unknown = await az(['frobnicate']);
    expect(unknown.code).toBe(2);
    const sub = await az(['task', 'frob']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain("unknown command 'task frob'");
  });

  it('db init creates the home, config, database and a 0600 token, and is idempotent', async () => {
    const first = await az(['db', 'init']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('initialized');
    const tokenFile = join(temp.home, 'token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(existsSync(join(temp.home, 'az.db'))).toBe(true);
    const token = readFileSync(tokenFile, 'utf8');
    const second = await az(['db', 'init', '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ already_initialized: true, created: [] });
    expect(readFileSync(tokenFile, 'utf8')).toBe(token);
  });

  it('sets, gets, lists and unsets config; provider presets fill the routes', async () => {
    expect((await az(['config', 'set', 'llm.provider=claude'])).code).toBe(0);
    const routes = JSON.parse((await az(['config', 'get', 'llm.routes.default', '--json'])).stdout);
    expect(routes.value[0]).toMatch(/claude/);
    expect((await az(['config', 'set', 'tasks.concurrency', '8'])).code).toBe(0);
    expect((await az(['config', 'get', 'tasks.concurrency'])).stdout.trim()).toBe('8');
    expect((await az(['config', 'unset', 'tasks.concurrency'])).code).toBe(0);
    expect((await az(['config', 'get', 'tasks.concurrency'])).stdout.trim()).toBe('4');
    const list = JSON.parse((await az(['config', 'list', '--json'])).stdout);
    expect(list.entries.find((entry: { key: string }) => entry.key === 'llm.provider')).toMatchObject({
      value: 'claude',
      source: 'file',
    });
  });

  it('exits 2 on an unknown key or bad value, listing the valid choices', async () => {
    const unknown = await az(['config', 'set', 'llm.provder', 'claude']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown config key 'llm.provder'");
    expect(unknown.stderr).toContain('llm.provider');
    const bad = await az(['config', 'set', 'llm.provider', 'banana']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Valid choices: litellm, openai, claude/);
    const badNumber = await az(['config', 'set', 'server.port', '99999']);
    expect(badNumber.code).toBe(2);
    const json = await az(['config', 'set', 'nope', '1', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.code).toBe('INVALID_INPUT');
  });

  it('never prints a secret', async () => {
    const secret = 'sk-test-very-secret-value-1234567890';
    expect((await az(['config', 'set', 'llm.api_key', secret])).code).toBe(0);
    for (const args of [
      ['config', 'get', 'llm.api_key'],
      ['config', 'list'],
      ['config', 'list', '--json'],
      ['config', 'get', 'llm', '--json'],
    ]) {
      const result = await az(args);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
    expect((await az(['config', 'get', 'llm.api_key'])).stdout.trim()).toBe('********');
    const withEnv = await az(['config', 'list', '--json'], {
      ...temp.env,
      AZ_LLM_API_KEY: 'sk-from-env-abcdef',
    });
    expect(withEnv.stdout).not.toContain('sk-from-env-abcdef');
  });

  it('applies AZ_* environment overrides and shows their source', async () => {
    const result = await az(['config', 'get', 'server.port', '--json'], {
      ...temp.env,
      AZ_SERVER_PORT: '7000',
    });
    expect(JSON.parse(result.stdout)).toMatchObject({ value: 7000, source: 'env' });
  });

  it('reports a corrupt config file with exit 5, naming the file, and leaves the database intact', async () => {
    await az(['task', 'create', 'keep me']);
    writeFileSync(join(temp.home, 'config.json'), '{ "server": { "port": "not a number" } }');
    const result = await az(['task', 'list']);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('config.json');
    writeFileSync(join(temp.home, 'config.json'), '{}');
    expect((await az(['task', 'list', '--json'])).stdout).toContain('keep me');
  });

  it('keeps profiles apart; --production is --profile production', async () => {
    await az(['task', 'create', 'default task']);
    await az(['--production', 'task', 'create', 'production task']);
    const production = JSON.parse((await az(['task', 'list', '--json', '--profile', 'production'])).stdout);
    expect(production.tasks.map((task: { title: string }) => task.title)).toEqual(['production task']);
    const defaults = JSON.parse((await az(['task', 'list', '--json'])).stdout);
    expect(defaults.tasks.map((task: { title: string }) => task.title)).toEqual(['default task']);
    expect(existsSync(join(temp.home, 'profiles', 'production', 'az.db'))).toBe(true);
    expect((await az(['--profile', '../escape', 'status'])).code).toBe(2);
  });

  it('maps task outcomes to exit codes', async () => {
    const id = (await az(['task', 'create', 'wait for me'])).stdout.trim();
    expect((await az(['task', 'wait', id, '--timeout', '0.2'])).code).toBe(11);
    expect((await az(['task', 'cancel', id])).code).toBe(0);
    expect((await az(['task', 'wait', id])).code).toBe(10);
    expect((await az(['task', 'cancel', id])).code).toBe(0);
    expect((await az(['task', 'retry', id])).code).toBe(4);
    expect((await az(['task', 'show', '00000000-0000-4000-8000-000000000000'])).code).toBe(3);
    expect((await az(['task', 'show'])).code).toBe(2);
  });

  it('stores SQL metacharacters and Unicode in titles verbatim and refuses terminal escapes', async () => {
    const title = "Robert'); DROP TABLE tasks;-- 🚀 ümlaut";
    const created = await az(['task', 'create', 'prompt', '--title', title, '--json']);
    expect(JSON.parse(created.stdout).task.title).toBe(title);
    const escaped = await az(['task', 'create', 'prompt', '--title', '\u001b]0;pwned\u0007title']);
    expect(escaped.code).toBe(2);
    expect(escaped.stderr).toContain('plain text');
    expect(JSON.parse((await az(['task', 'list', '--json'])).stdout).tasks).toHaveLength(1);
  });

  it('refuses a second server on the same home and keeps the first one working', async () => {
    const daemon = await startDaemon(temp.env);
    try {
      const second = await az(['serve', '--port', '0']);
      expect(second.code).toBe(4);
      expect(second.stderr).toContain('already running');
      expect(second.stderr).toContain(String(daemon.pid));
      const status = JSON.parse((await az(['status', '--json'])).stdout);
      expect(status).toMatchObject({ mode: 'daemon', pid: daemon.pid });
    } finally {
      await daemon.stop();
    }
    expect(existsSync(join(temp.home, 'server.json'))).toBe(false);
  });

  it('refuses a non-loopback bind unless asked explicitly', async () => {
    const result = await az(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--allow-remote');
  });

  it('goes through the running server when there is one, and in-process otherwise, with the same answers', async () => {
    await az(['task', 'create', 'same either way']);
    const offline = JSON.parse((await az(['task', 'list', '--json'])).stdout);
    const daemon = await startDaemon(temp.env);
    try {
      const online = JSON.parse((await az(['task', 'list', '--json'])).stdout);
      expect(online).toEqual(offline);
      expect(JSON.parse((await az(['status', '--json'])).stdout).mode).toBe('daemon');
    } finally {
      await daemon.stop();
    }
  });
});
