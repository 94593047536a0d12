/**
 * The audit log: one row per tool call (who, what, outcome, duration), append-only and hash-chained.
 *
 * The chain. Every row carries `prev_hash` (the link of the row before it; 64 zeros for the first) and `hash`,
 * an HMAC-SHA256 over all its fields including seq and prev_hash, keyed by AZ_HOME/audit.key (0600, outside
 * the database). A row's link is its hash. The head table holds the last seq and link, sealed with the same
 * key. `verify` walks the rows in seq order and reports: a row whose content no longer matches its hash
 * (edited, or inserted by hand), a gap in seq or a prev_hash that does not match (deleted in the middle), and
 * a head that names a later row than the last one (deleted at the end). Without the key a forger cannot
 * recompute any of it; appending chains onto the sealed head, never onto whatever row happens to be last, so
 * a deletion at the end cannot be laundered by the next append.
 *
 * Pruning (issue 7, retention): a verified contiguous stretch of rows [first..last] at the start of the log may
 * be replaced by ONE row of kind 'summary' with seq = last, whose prev_hash is the prev_hash of row `first`,
 * whose data holds { first_seq, last_seq, count, segment_hash } — segment_hash being the hash of row `last` —
 * and whose own hash is the usual HMAC over all of that (use `sealSummary`). Its link is `segment_hash`, so
 * the row after the stretch still chains onto it, and verify checks first_seq/last_seq against its
 * neighbours. The DELETE trigger must be dropped and recreated inside that same transaction.
 */
import { createHmac } from 'node:crypto';
import { writeTransaction, type Db } from '../store/database.js';

export const GENESIS = '0'.repeat(64);
const ROW_DOMAIN = 'azos-audit-row-v1\n';
const HEAD_DOMAIN = 'azos-audit-head-v1\n';
/** Target paths recorded per row at most. */
const MAX_TARGETS = 100;

export interface AuditRow {
  seq: number;
  kind: 'call' | 'summary';
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
  data: string | null;
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

  /** The row's own seal: every field but `hash`, in a fixed order. */
  const sealRow = (row: Omit<AuditRow, 'hash'>): string =>
    hmac(
      ROW_DOMAIN,
      JSON.stringify([
        row.seq,
        row.kind,
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
        row.data,
        row.prev_hash,
      ]),
    );
  const sealHead = (seq: number, link: string): string => hmac(HEAD_DOMAIN, `${seq}\n${link}`);

  /** What the next row chains onto: a summary passes on the hash of the last row it replaced. */
  const linkOf = (row: Pick<AuditRow, 'kind' | 'hash' | 'data'>): string => {
    if (row.kind !== 'summary') return row.hash;
    try {
      const data = JSON.parse(row.data ?? '{}') as { segment_hash?: unknown };
      return typeof data.segment_hash === 'string' ? data.segment_hash : '';
    } catch {
      return '';
    }
  };

  const lastRow = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1');
  const readHead = db.prepare('SELECT seq, link, mac FROM audit_head WHERE id = 1');
  const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, kind, at, principal, role, via, task_id, tool, access, args_sha256, targets, outcome,
       error_code, duration_ms, data, prev_hash, hash)
     VALUES (@seq, @kind, @at, @principal, @role, @via, @task_id, @tool, @access, @args_sha256, @targets, @outcome,
       @error_code, @duration_ms, @data, @prev_hash, @hash)`,
  );
  const writeHead = db.prepare('INSERT OR REPLACE INTO audit_head (id, seq, link, mac) VALUES (1, ?, ?, ?)');

  const validHead = (): Head | undefined => {
    const head = readHead.get() as Head | undefined;
    return head && head.mac === sealHead(head.seq, head.link) ? head : undefined;
  };

  /** Appends rows chained onto the sealed head (read once), then seals the new head (written once). */
  const appendRows = (calls: readonly AuditCall[]): void => {
    const last = lastRow.get() as AuditRow | undefined;
    const head = validHead();
    const counter = (sequence.get() as { seq: number } | undefined)?.seq ?? 0;
    // Chain onto the sealed head: rows deleted after it stay a visible gap.
    let prev = head?.link ?? (last ? linkOf(last) : GENESIS);
    let seq = Math.max(head?.seq ?? 0, last?.seq ?? 0, counter);
    for (const call of calls) {
      seq += 1;
      const row: Omit<AuditRow, 'hash'> = {
        seq,
        kind: 'call',
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
        data: null,
        prev_hash: prev,
      };
      const hash = sealRow(row);
      insert.run({ ...row, hash });
      prev = hash;
    }
    writeHead.run(seq, prev, sealHead(seq, prev));
  };

  return {
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

    verify(maxProblems = 50): {
      ok: boolean;
      rowsChecked: number;
      lastSeq: number | null;
      problems: AuditProblem[];
    } {
      const problems: AuditProblem[] = [];
      const report = (seq: number, problem: string): void => {
        if (problems.length < maxProblems) problems.push({ seq, problem });
      };
      let previousLink = GENESIS;
      let previousSeq = 0;
      let count = 0;
      for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<AuditRow>) {
        count += 1;
        const { hash, ...rest } = row;
        if (hash !== sealRow(rest))
          report(row.seq, `row ${row.seq} was edited: its content does not match its hash`);
        let firstSeq = row.seq;
        if (row.kind === 'summary') {
          const data = JSON.parse(row.data ?? '{}') as { first_seq?: number; last_seq?: number };
          firstSeq = data.first_seq ?? row.seq;
          if (data.last_seq !== row.seq)
            report(row.seq, `summary row ${row.seq} does not end at its own seq`);
        }
        if (firstSeq !== previousSeq + 1) {
          report(
            row.seq,
            `rows ${previousSeq + 1}–${firstSeq - 1} are missing: deleted before row ${row.seq}`,
          );
        } else if (row.prev_hash !== previousLink) {
          report(
            row.seq,
            `row ${row.seq} does not chain onto row ${previousSeq}: a row before it was replaced`,
          );
        }
        previousLink = linkOf(row);
        previousSeq = row.seq;
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
        lastSeq: count > 0 ? previousSeq : null,
        problems,
      };
    },

    /** The hash a summary row must carry (for retention; see the header). */
    sealSummary(row: Omit<AuditRow, 'hash'>): string {
      return sealRow(row);
    },
  };
}
