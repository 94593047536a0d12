import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAuditLogTool, verifyAuditLogTool } from '../../../protocol/tools/audit-tools.js';
import { readFileTool } from '../../../server/agent-tools/tools/read-file.js';
import { writeFileTool } from '../../../server/agent-tools/tools/write-file.js';
import { ensureDataKey } from '../../../server/data-protection/data-keys.js';
import { homeAnchorSigner, listAnchors } from '../../../server/data-protection/retention/audit-chain.js';
import { pruneAuditChain } from '../../../server/data-protection/retention/audit-segments.js';
import { createAuditLog, type AuditRow } from '../../../server/audit/audit-log.js';
import { canonicalJson } from '../../../server/audit/canonical-json.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { runAz } from '../../helpers/processes.js';
import { createWorkspaceHome, type WorkspaceHome } from '../../helpers/workspace.js';

describe('the audit log', () => {
  let home: WorkspaceHome;
  const copies: string[] = [];

  /** A copy of the home whose database a test may tamper with. */
  function copyHome(): { dir: string; env: Record<string, string | undefined>; db: Database.Database } {
    const dir = mkdtempSync(join(tmpdir(), 'az-audit-copy-'));
    copies.push(dir);
    cpSync(home.home, dir, { recursive: true });
    return { dir, env: { ...home.env, AZ_HOME: dir }, db: new Database(join(dir, 'az.db')) };
  }

  async function verifyWithCli(env: Record<string, string | undefined>) {
    const result = await runAz(['audit', 'verify', '--json'], { env });
    return {
      code: result.code,
      report: JSON.parse(result.stdout) as { ok: boolean; problems: { seq: number; problem: string }[] },
    };
  }

  beforeAll(async () => {
    home = createWorkspaceHome();
    writeFileSync(join(home.workspace, 'a.txt'), 'a\n');
    const client = await connectInProcess(home.env);
    await client.call(readFileTool, { path: 'a.txt' });
    await client.call(writeFileTool, { path: 'b.txt', content: 'secret content\n' });
    await client.call(readFileTool, { path: '../token' }).catch(() => undefined);
    await client.call(readFileTool, { path: 'b.txt' });
    await client.call(readFileTool, { path: 'a.txt' });
    await client.close();
  });

  afterAll(() => {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
    home?.cleanup();
  });

  it('records who did what, to which paths, with what outcome — never the arguments themselves', async () => {
    const client = await connectInProcess(home.env);
    try {
      const { entries } = await client.call(getAuditLogTool, { limit: 10 });
      const calls = entries.filter(entry => entry.tool !== 'get_audit_log').reverse();
      expect(calls.map(entry => [entry.tool, entry.outcome, entry.error_code])).toEqual([
        ['read_file', 'ok', null],
        ['write_file', 'ok', null],
        ['read_file', 'error', 'PERMISSION_DENIED'],
        ['read_file', 'ok', null],
        ['read_file', 'ok', null],
      ]);
      const write = calls[1];
      expect(write).toMatchObject({
        principal: `local:${userInfo().username}`,
        role: 'admin',
        via: 'in-process',
        task_id: null,
        access: 'write',
        targets: [join(home.workspace, 'b.txt')],
      });
      expect(write?.args_sha256).toBe(
        createHash('sha256')
          .update(canonicalJson({ content: 'secret content\n', path: 'b.txt' }))
          .digest('hex'),
      );
      expect(write?.duration_ms).toBeGreaterThanOrEqual(0);
      const db = readFileSync(join(home.home, 'az.db'));
      expect(db.includes(Buffer.from('secret content'))).toBe(false);
      expect((await client.call(verifyAuditLogTool, {})).ok).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('az audit show lists the rows and az audit verify passes on an intact log', async () => {
    const shown = await runAz(['audit', 'show', '--tool', 'write_file', '--json'], { env: home.env });
    expect(JSON.parse(shown.stdout).entries).toHaveLength(1);
    const table = await runAz(['audit', 'show', '--limit', '3'], { env: home.env });
    expect(table.stdout).toMatch(/SEQ\s+AT\s+WHO\s+TOOL/);
    const { code, report } = await verifyWithCli(home.env);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
  });

  it('refuses UPDATE and DELETE through its triggers', () => {
    const { db } = copyHome();
    try {
      expect(() => db.prepare("UPDATE audit_log SET outcome = 'ok' WHERE seq = 3").run()).toThrow(
        /append-only/,
      );
      expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('verify detects a row edited with raw SQL (exit 12)', async () => {
    const { env, db } = copyHome();
    db.exec(
      "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET outcome = 'ok', error_code = NULL WHERE seq = 3",
    );
    db.close();
    const { code, report } = await verifyWithCli(env);
    expect(code).toBe(12);
    expect(report.problems[0]).toEqual({
      seq: 3,
      problem: 'row 3 was edited: its content does not match its hash',
    });
  });

  it('verify detects a row deleted from the middle', async () => {
    const { env, db } = copyHome();
    db.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2');
    db.close();
    const { code, report } = await verifyWithCli(env);
    expect(code).toBe(12);
    expect(report.problems[0]?.problem).toBe('rows 2–2 are missing: deleted before row 3');
  });

  it('verify detects rows deleted at the end, and the next append does not hide it', async () => {
    const { env, db } = copyHome();
    db.exec(
      'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 4; DELETE FROM sqlite_sequence',
    );
    db.close();
    const first = await verifyWithCli(env);
    expect(first.code).toBe(12);
    expect(first.report.problems[0]?.problem).toMatch(
      /rows 4–\d+ are missing: deleted at the end of the log/,
    );
    // The verify call itself was appended: it chains onto the sealed head, so the gap stays visible.
    const second = await verifyWithCli(env);
    expect(second.code).toBe(12);
    expect(second.report.problems[0]?.problem).toMatch(/rows 4–\d+ are missing: deleted before row \d+/);
  });

  it('verify detects a row inserted by hand', async () => {
    const { env, db } = copyHome();
    const last = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditRow;
    db.prepare(
      `INSERT INTO audit_log (seq, at, principal, role, via, task_id, tool, access, args_sha256, targets, outcome,
         error_code, duration_ms, prev_hash, hash) VALUES (@seq, @at, 'nobody', 'admin', 'http', NULL,
         'delete_file', 'write', 'x', '[]', 'ok', NULL, 1, @prev, @hash)`,
    ).run({
      seq: last.seq + 1,
      at: Date.now(),
      prev: last.hash,
      hash: createHash('sha256').update('forged').digest('hex'),
    });
    db.close();
    const { code, report } = await verifyWithCli(env);
    expect(code).toBe(12);
    expect(report.problems.map(problem => problem.problem)).toEqual(
      expect.arrayContaining([`row ${last.seq + 1} was edited: its content does not match its hash`]),
    );
  });

  it('retention replaces a verified prefix by a signed anchor, and the chain still verifies', async () => {
    const { env, db } = copyHome();
    const log = createAuditLog(db, ensureDataKey(db, 'audit-chain'));
    const total = log.verify().rowsChecked;
    const outcome = await pruneAuditChain(
      { db, source: log.source, signer: homeAnchorSigner(db), segmentSize: 2 },
      { max_age_days: null, max_count: 2 },
      { now: Date.now(), dryRun: false, signal: new AbortController().signal },
    );
    expect(outcome.deleted).toBe(total - 2);
    expect(listAnchors(db).length).toBeGreaterThan(0);
    expect(log.verify()).toMatchObject({ ok: true, rowsChecked: 2, prunedRows: total - 2, problems: [] });
    // Triggers are back in place after the prune.
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
    const cli = await verifyWithCli(env);
    expect(cli.code).toBe(0);
    const again = new Database(join(copies.at(-1) as string, 'az.db'));
    again.prepare('UPDATE audit_anchors SET entries = entries + 1 WHERE seq = 1').run();
    again.close();
    const broken = await verifyWithCli(env);
    expect(broken.code).toBe(12);
    expect(broken.report.problems[0]?.problem).toContain(
      'retention anchor 1: the anchor signature does not match',
    );
  });
});
