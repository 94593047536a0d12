/**
 * Audit × retention on the real audit table, as a user runs it: entries written by real `az` calls through a
 * running `az serve` (the audit service's own observer and its own retention target), pruned with `az db
 * prune`, verified with `az audit verify` — which still passes after the prune and still catches tampering.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAz, startDaemon, type Daemon } from '../../helpers/processes.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

interface Verification {
  ok: boolean;
  rows_checked: number;
  anchors: number;
  pruned_rows: number;
  problems: { seq: number; problem: string }[];
}

describe('az db prune on the real audit log', () => {
  let temp: TempHome;
  let daemon: Daemon | undefined;

  async function az(...args: string[]) {
    const result = await runAz(args, { env: temp.env });
    expect(result.code, `az ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  }

  async function verify(): Promise<{ code: number | null; report: Verification }> {
    const result = await runAz(['audit', 'verify', '--json'], { env: temp.env });
    return { code: result.code, report: JSON.parse(result.stdout) as Verification };
  }

  function sqlite(): Database.Database {
    const db = new Database(join(temp.home, 'az.db'));
    db.pragma('busy_timeout = 5000');
    return db;
  }

  beforeAll(async () => {
    temp = createTempHome('az-audit-prune-');
    // This test prunes by hand; the server's own prune would race it.
    temp.env.AZ_RETENTION_AUTO_PRUNE = 'false';
    await az('db', 'init');
    daemon = await startDaemon(temp.env);
    for (let index = 0; index < 8; index += 1) await az('task', 'create', `audited ${index}`, '--json');
    await az('task', 'list', '--json');
    await az('config', 'set', 'retention.audit.max_count', '5');
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    temp?.cleanup();
  });

  it('prunes through the running server, keeps the newest entries, and az audit verify passes afterwards', async () => {
    const before = await verify();
    expect(before.code).toBe(0);
    expect(before.report.rows_checked).toBeGreaterThan(10);

    const pruned = JSON.parse(await az('db', 'prune', '--target', 'audit', '--json')) as {
      results: { target: string; status: string; deleted: number }[];
    };
    expect(pruned.results[0]).toMatchObject({ target: 'audit', status: 'pruned' });
    expect(pruned.results[0]?.deleted).toBeGreaterThan(5);

    const after = await verify();
    expect(after.code, JSON.stringify(after.report.problems)).toBe(0);
    expect(after.report).toMatchObject({ ok: true, problems: [] });
    expect(after.report.anchors).toBeGreaterThan(0);
    // Every entry is accounted for: those under anchors and those kept (the prune and verify calls since
    // were appended after it).
    expect(after.report.pruned_rows).toBe(pruned.results[0]?.deleted);
    expect(after.report.rows_checked).toBeGreaterThanOrEqual(5);
    expect(after.report.pruned_rows + after.report.rows_checked).toBeGreaterThan(before.report.rows_checked);
  });

  it('still detects an edited entry, a deleted entry and an edited anchor after the prune', async () => {
    await daemon?.stop();
    daemon = undefined;
    expect((await verify()).code).toBe(0);

    const db = sqlite();
    const firstKept = db.prepare('SELECT min(seq) FROM audit_log').pluck().get() as number;
    const original = db
      .prepare('SELECT outcome FROM audit_log WHERE seq = ?')
      .pluck()
      .get(firstKept + 1);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET outcome = 'tampered' WHERE seq = ?").run(firstKept + 1);
    db.close();
    const edited = await verify();
    expect(edited.code).toBe(12);
    expect(edited.report.problems[0]).toEqual({
      seq: firstKept + 1,
      problem: `row ${firstKept + 1} was edited: its content does not match its hash`,
    });

    const again = sqlite();
    again.prepare('UPDATE audit_log SET outcome = ? WHERE seq = ?').run(original, firstKept + 1);
    expect((await verify()).code).toBe(0);
    // The first entry after the anchor: its removal must not pass as one more pruned entry.
    again.exec('DROP TRIGGER audit_log_no_delete');
    again.prepare('DELETE FROM audit_log WHERE seq = ?').run(firstKept);
    again.close();
    const deleted = await verify();
    expect(deleted.code).toBe(12);
    expect(deleted.report.problems.map(problem => problem.problem)).toContain(
      `rows ${firstKept}–${firstKept} are missing: deleted before row ${firstKept + 1}`,
    );

    const anchors = sqlite();
    anchors.prepare('UPDATE audit_anchors SET entries = entries + 1').run();
    anchors.close();
    const forged = await verify();
    expect(forged.code).toBe(12);
    expect(forged.report.problems[0]?.problem).toMatch(/^retention anchor \d+: /);
  });
});
