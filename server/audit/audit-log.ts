/**
 * The audit log: one row per tool call (who, what, outcome, duration), append-only and hash-chained.
 *
 * The chain. Every row carries `prev_hash` (the hash of the row before it; 64 zeros for the first row ever) and
 * `hash`, an HMAC-SHA256 over all its fields including seq and prev_hash, keyed by the 'audit-chain' data key
 * (data-keys.ts: inside the database, so encrypted, backed up and restored with it). The head table holds the
 * last seq and hash, sealed with the same key, so deleting rows at the end is detected too. Appending chains
 * onto the sealed head, never onto whatever row happens to be last, so the next append cannot launder such a
 * deletion. Triggers refuse UPDATE and DELETE: only a deliberate DROP TRIGGER changes history, and `verify`
 * reports what it did — a row edited or inserted by hand (its hash does not match), rows deleted in the
 * middle (a seq gap, a prev_hash that does not match) or at the end (the head names a later row).
 *
 * Retention (data-protection/retention/audit-chain.ts): old rows go only as whole verified prefix segments,
 * each replaced by a signed anchor (table audit_anchors) in the same transaction; `source` is the
 * AuditChainSource retention prunes through, and `verify` starts after the last anchor.
 */
import {
  listAnchors,
  type AuditChainEntry,
  type AuditChainSource,
} from '../data-protection/retention/audit-chain.js';
import { writeTransaction, type Db } from '../store/database.js';
import { createAuditSeals, GENESIS, type AuditHead, type AuditRow } from './audit-seal.js';
import { verifyAuditLog, type AuditVerification } from './audit-verify.js';

export { GENESIS, type AuditRow } from './audit-seal.js';
export type { AuditProblem, AuditVerification } from './audit-verify.js';

/** Target paths recorded per row at most. */
const MAX_TARGETS = 100;

const DELETE_TRIGGER = `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (retention removes verified segments only)'); END`;

export interface AuditCall {
  at: number;
  principal: string;
  role: string;
  via: string;
  taskId: string | undefined;
  tool: string;
  access: string;
  argsSha256: string;
  targets: readonly string[];
  outcome: string;
  errorCode: string | undefined;
  durationMs: number;
}

export interface AuditQuery {
  limit: number;
  beforeSeq?: number | undefined;
  tool?: string | undefined;
  principal?: string | undefined;
}

export type AuditLog = ReturnType<typeof createAuditLog>;

export function createAuditLog(db: Db, key: Buffer) {
  const seals = createAuditSeals(key);

  const lastRow = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const readHead = db.prepare('SELECT seq, link, mac FROM audit_head WHERE id = 1');
  const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, at, principal, role, via, task_id, tool, access, args_sha256, targets, outcome,
       error_code, duration_ms, prev_hash, hash)
     VALUES (@seq, @at, @principal, @role, @via, @task_id, @tool, @access, @args_sha256, @targets, @outcome,
       @error_code, @duration_ms, @prev_hash, @hash)`,
  );
  const writeHead = db.prepare('INSERT OR REPLACE INTO audit_head (id, seq, link, mac) VALUES (1, ?, ?, ?)');
  const rowsAfter = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');

  const validHead = (): AuditHead | undefined => {
    const head = readHead.get() as AuditHead | undefined;
    return head && head.mac === seals.head(head.seq, head.link) ? head : undefined;
  };

  /** Appends rows chained onto the sealed head (read once), then seals the new head (written once). */
  const appendRows = (calls: readonly AuditCall[]): void => {
    const last = lastRow.get() as Pick<AuditRow, 'seq' | 'hash'> | undefined;
    const head = validHead();
    const anchor = head || last ? undefined : listAnchors(db).at(-1);
    const counter = (sequence.get() as { seq: number } | undefined)?.seq ?? 0;
    // Chain onto the sealed head: rows deleted after it stay a visible gap.
    let prev = head?.link ?? last?.hash ?? anchor?.last_hash ?? GENESIS;
    let seq = Math.max(head?.seq ?? 0, last?.seq ?? 0, anchor?.last_seq ?? 0, counter);
    for (const call of calls) {
      seq += 1;
      const row: Omit<AuditRow, 'hash'> = {
        seq,
        at: call.at,
        principal: call.principal,
        role: call.role,
        via: call.via,
        task_id: call.taskId ?? null,
        tool: call.tool,
        access: call.access,
        args_sha256: call.argsSha256,
        targets: JSON.stringify(call.targets.slice(0, MAX_TARGETS)),
        outcome: call.outcome,
        error_code: call.errorCode ?? null,
        duration_ms: Math.max(0, Math.round(call.durationMs)),
        prev_hash: prev,
      };
      const hash = seals.row(row);
      insert.run({ ...row, hash });
      prev = hash;
    }
    writeHead.run(seq, prev, seals.head(seq, prev));
  };

  const toEntry = (row: AuditRow): AuditChainEntry => {
    const { hash, ...rest } = row;
    return { seq: row.seq, createdAt: row.at, prevHash: row.prev_hash, hash, computedHash: seals.row(rest) };
  };

  /** The table as retention prunes it. */
  const source: AuditChainSource = {
    genesis: GENESIS,
    entriesAfter: (afterSeq, limit) => (rowsAfter.all(afterSeq, limit) as AuditRow[]).map(toEntry),
    lastSeqBefore: time =>
      (db.prepare('SELECT max(seq) FROM audit_log WHERE at < ?').pluck().get(time) as number | null) ??
      undefined,
    lastSeqBeyondCount: count =>
      (db.prepare('SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1 OFFSET ?').pluck().get(count) as
        number | undefined) ?? undefined,
    countThrough: seq =>
      db.prepare('SELECT count(*) FROM audit_log WHERE seq <= ?').pluck().get(seq) as number,
    deleteThrough: seq => {
      // Called inside retention's transaction, after it verified the segment and wrote its anchor.
      db.exec('DROP TRIGGER audit_log_no_delete');
      db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(seq);
      db.exec(DELETE_TRIGGER);
    },
  };

  return {
    source,

    /**
     * Appends calls in order, in one transaction. `durable`: fsynced before returning (calls that may change
     * something); otherwise committed without waiting for the disk (they become durable with the next durable
     * commit; a power cut may lose the last few read-only calls, never corrupt the chain).
     */
    append(calls: readonly AuditCall[], durable: boolean): void {
      if (calls.length === 0) return;
      const write = (): void => appendRows(calls);
      if (durable) {
        writeTransaction(db, write);
        return;
      }
      db.pragma('synchronous = NORMAL');
      try {
        writeTransaction(db, write);
      } finally {
        db.pragma('synchronous = FULL');
      }
    },

    list(query: AuditQuery): AuditRow[] {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.beforeSeq !== undefined) {
        where.push('seq < ?');
        params.push(query.beforeSeq);
      }
      if (query.tool !== undefined) {
        where.push('tool = ?');
        params.push(query.tool);
      }
      if (query.principal !== undefined) {
        where.push('principal = ?');
        params.push(query.principal);
      }
      return db
        .prepare(
          `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
        )
        .all(...params, query.limit) as AuditRow[];
    },

    /** Checks anchors, rows and head (audit-verify.ts). */
    verify(maxProblems?: number): AuditVerification {
      return verifyAuditLog(db, seals, source, maxProblems);
    },
  };
}
