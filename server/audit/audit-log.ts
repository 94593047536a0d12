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
import { createHmac } from 'node:crypto';
import {
  homeAnchorSigner,
  listAnchors,
  verifyAuditChain,
  type AuditChainEntry,
  type AuditChainSource,
} from '../data-protection/retention/audit-chain.js';
import { writeTransaction, type Db } from '../store/database.js';

export const GENESIS = '0'.repeat(64);
const ROW_DOMAIN = 'azos-audit-row-v1\n';
const HEAD_DOMAIN = 'azos-audit-head-v1\n';
/** Target paths recorded per row at most. */
const MAX_TARGETS = 100;
const PAGE = 1000;

const DELETE_TRIGGER = `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (retention removes verified segments only)'); END`;

export interface AuditRow {
  seq: number;
  at: number;
  principal: string;
  role: string;
  via: string;
  task_id: string | null;
  tool: string;
  access: string;
  args_sha256: string;
  targets: string;
  outcome: string;
  error_code: string | null;
  duration_ms: number;
  prev_hash: string;
  hash: string;
}

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

export interface AuditProblem {
  seq: number;
  problem: string;
}

export interface AuditVerification {
  ok: boolean;
  rowsChecked: number;
  anchors: number;
  prunedRows: number;
  lastSeq: number | null;
  problems: AuditProblem[];
}

export interface AuditQuery {
  limit: number;
  beforeSeq?: number | undefined;
  tool?: string | undefined;
  principal?: string | undefined;
}

interface Head {
  seq: number;
  link: string;
  mac: string;
}

export type AuditLog = ReturnType<typeof createAuditLog>;

export function createAuditLog(db: Db, key: Buffer) {
  const hmac = (domain: string, text: string): string =>
    createHmac('sha256', key).update(domain).update(text).digest('hex');

  /** The row's seal: every field but `hash`, in a fixed order. */
  const sealRow = (row: Omit<AuditRow, 'hash'>): string =>
    hmac(
      ROW_DOMAIN,
      JSON.stringify([
        row.seq,
        row.at,
        row.principal,
        row.role,
        row.via,
        row.task_id,
        row.tool,
        row.access,
        row.args_sha256,
        row.targets,
        row.outcome,
        row.error_code,
        row.duration_ms,
        row.prev_hash,
      ]),
    );
  const sealHead = (seq: number, link: string): string => hmac(HEAD_DOMAIN, `${seq}\n${link}`);

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

  const validHead = (): Head | undefined => {
    const head = readHead.get() as Head | undefined;
    return head && head.mac === sealHead(head.seq, head.link) ? head : undefined;
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
      const hash = sealRow(row);
      insert.run({ ...row, hash });
      prev = hash;
    }
    writeHead.run(seq, prev, sealHead(seq, prev));
  };

  const toEntry = (row: AuditRow): AuditChainEntry => {
    const { hash, ...rest } = row;
    return { seq: row.seq, createdAt: row.at, prevHash: row.prev_hash, hash, computedHash: sealRow(rest) };
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

    /** Checks the anchors of pruned segments, then every row after them, then the sealed head. */
    verify(maxProblems = 50): AuditVerification {
      const problems: AuditProblem[] = [];
      const report = (seq: number, problem: string): void => {
        if (problems.length < maxProblems) problems.push({ seq, problem });
      };
      const anchors = listAnchors(db);
      const chain = verifyAuditChain(db, source, homeAnchorSigner(db));
      if (chain.problem?.anchor) {
        report(chain.problem.seq, `retention anchor ${chain.problem.seq}: ${chain.problem.reason}`);
      }
      const lastAnchor = anchors.at(-1);
      let previousLink = lastAnchor?.last_hash ?? GENESIS;
      let previousSeq = lastAnchor?.last_seq ?? 0;
      let count = 0;
      for (let page = rowsAfter.all(previousSeq, PAGE) as AuditRow[]; page.length > 0;) {
        for (const row of page) {
          count += 1;
          const { hash, ...rest } = row;
          if (hash !== sealRow(rest))
            report(row.seq, `row ${row.seq} was edited: its content does not match its hash`);
          if (row.seq !== previousSeq + 1) {
            report(
              row.seq,
              `rows ${previousSeq + 1}–${row.seq - 1} are missing: deleted before row ${row.seq}`,
            );
          } else if (row.prev_hash !== previousLink) {
            report(
              row.seq,
              `row ${row.seq} does not chain onto row ${previousSeq}: a row before it was replaced`,
            );
          }
          previousLink = hash;
          previousSeq = row.seq;
        }
        page = page.length < PAGE ? [] : (rowsAfter.all(previousSeq, PAGE) as AuditRow[]);
      }
      const head = readHead.get() as Head | undefined;
      if (head === undefined) {
        if (count > 0) report(previousSeq, 'the sealed head of the log is missing (deleted by hand)');
      } else if (head.mac !== sealHead(head.seq, head.link)) {
        report(head.seq, 'the sealed head of the log was edited');
      } else if (head.seq > previousSeq) {
        report(head.seq, `rows ${previousSeq + 1}–${head.seq} are missing: deleted at the end of the log`);
      } else if (head.seq !== previousSeq || head.link !== previousLink) {
        report(
          previousSeq,
          `rows after ${head.seq} were added outside AZ-OS (the sealed head ends at ${head.seq})`,
        );
      }
      return {
        ok: problems.length === 0,
        rowsChecked: count,
        anchors: anchors.length,
        prunedRows: chain.pruned_entries,
        lastSeq: count > 0 || lastAnchor ? previousSeq : null,
        problems,
      };
    },
  };
}
