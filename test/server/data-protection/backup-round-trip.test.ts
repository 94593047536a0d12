/**
 * Backup × everything: an encrypted home where a real task ran (the scripted LLM server, the reference
 * filesystem MCP server) — with its journal, cost ledger, audit rows, task-summary memory in the local Chroma
 * and workspace checkpoints — is backed up with `az db backup`, lost, and restored with `az db restore` into
 * another directory. Everything a user checks afterwards is there and consistent.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTaskTool } from '../../../protocol/tools/agent-tools.js';
import { loadScenarios } from '../../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../fixtures/scripted-llm/server.js';
import { createAgentHome, SCENARIOS_DIR } from '../../helpers/agent-home.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { runAz } from '../../helpers/processes.js';
import type { TempHome } from '../../helpers/temp-home.js';

type Env = Record<string, string | undefined>;

/** What a user looks at: every read through the built `az`, as JSON. */
async function look(env: Env, taskId: string) {
  const read = async (...args: string[]): Promise<unknown> => {
    const result = await runAz([...args, '--json'], { env, timeoutMs: 60_000 });
    expect(result.code, `az ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return JSON.parse(result.stdout) as unknown;
  };
  return {
    audit: (await read('audit', 'verify')) as { ok: boolean; rows_checked: number },
    cost: (await read('cost', 'show', '--by', 'task')) as { total: unknown; groups: unknown[] },
    task: (await read('task', 'show', taskId)) as { task: { status: string; cost_micro_usd: number } },
    log: (await read('task', 'logs', taskId)) as { events: { seq: number; type: string }[] },
    checkpoints: (await read('checkpoint', 'list', '--task', taskId)) as { checkpoints: { id: string }[] },
  };
}

function journalRows(home: string, key: string): number {
  const db = new Database(join(home, 'az.db'), { readonly: true });
  try {
    // What README says other SQLCipher 4 tools need: the cipher settings, then the raw key.
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma(`key = "x'${key}'"`);
    return db.prepare('SELECT count(*) FROM agent_journal').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('a backup of a home where a task ran', () => {
  const key = randomBytes(32).toString('hex');
  let llm: ScriptedLlmServer;
  let source: TempHome;
  let restoredHome: string;
  let backup: string;
  let workspace: string;
  let taskId: string;
  let before: Awaited<ReturnType<typeof look>>;
  let journalBefore: number;

  beforeAll(async () => {
    llm = await startScriptedLlmServer({ scenarios: loadScenarios([join(SCENARIOS_DIR, 'is-prime.json')]) });
    source = createAgentHome({
      llmUrl: llm.url,
      config: { memory: { enabled: true }, checkpoints: { enabled: true } },
    });
    source.env.AZ_DB_KEY = key;
    workspace = mkdtempSync(join(tmpdir(), 'az-round-trip-work-'));
    backup = `${source.home}-backup`;
    restoredHome = `${source.home}-restored`;
    const client = await connectInProcess(source.env);
    try {
      const { task } = await client.call(
        runTaskTool,
        { prompt: 'create function isPrime in TypeScript', workspace, timeout_seconds: 60 },
        { timeoutMs: 70_000 },
      );
      expect(task.status).toBe('COMPLETED');
      taskId = task.id;
    } finally {
      await client.close();
    }
    before = await look(source.env, taskId);
    journalBefore = journalRows(source.home, key);
  }, 120_000);

  afterAll(async () => {
    await llm?.close();
    source?.cleanup();
    for (const path of [restoredHome, backup, workspace]) rmSync(path, { recursive: true, force: true });
  });

  it('had everything to lose: a verified audit log, costs, a log, checkpoints and a journal', () => {
    expect(before.audit.ok).toBe(true);
    expect(before.audit.rows_checked).toBeGreaterThan(0);
    expect(before.task.task).toMatchObject({ status: 'COMPLETED', cost_micro_usd: 541 });
    expect(before.log.events.length).toBeGreaterThan(5);
    expect(before.checkpoints.checkpoints.length).toBeGreaterThan(0);
    expect(journalBefore).toBeGreaterThan(4);
  });

  it('restores into another directory with the audit chain, costs, log, checkpoints, journal and memory intact', async () => {
    const taken = await runAz(['db', 'backup', backup, '--json'], { env: source.env, timeoutMs: 60_000 });
    expect(taken.code, taken.stderr).toBe(0);
    expect(JSON.parse(taken.stdout)).toMatchObject({
      database: { encrypted: true },
      chroma: { included: true },
      checkpoints: { included: true },
    });
    // The home is lost.
    rmSync(source.home, { recursive: true, force: true });

    const env: Env = { ...source.env, AZ_HOME: restoredHome };
    const restored = await runAz(['db', 'restore', backup, '--json'], { env, timeoutMs: 60_000 });
    expect(restored.code, restored.stderr).toBe(0);

    const after = await look(env, taskId);
    expect(after.audit.ok).toBe(true);
    // The restore and the reads since then appended to the chain; nothing before them is missing.
    expect(after.audit.rows_checked).toBeGreaterThan(before.audit.rows_checked);
    expect(after.cost).toEqual(before.cost);
    expect(after.task.task).toEqual(before.task.task);
    expect(after.log).toEqual(before.log);
    expect(after.checkpoints).toEqual(before.checkpoints);
    expect(journalRows(restoredHome, key)).toBe(journalBefore);

    const search = await runAz(['memory', 'search', 'a function that tells primes apart', '--json'], {
      env,
      timeoutMs: 60_000,
    });
    expect(search.code, search.stderr).toBe(0);
    const hits = (JSON.parse(search.stdout) as { results: { id: string; text: string }[] }).results;
    expect(hits.map(hit => hit.id)).toContain(`task:${taskId}`);
    expect(hits.find(hit => hit.id === `task:${taskId}`)?.text).toContain('isPrime');

    // The key is not in the backup: without it the restored home does not open.
    const keyless = await runAz(['task', 'list', '--json'], { env: { ...env, AZ_DB_KEY: undefined } });
    expect(keyless.code).toBe(5);
  });
});
