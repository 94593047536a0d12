/**
 * Verifying the audit chain: the signed anchors retention left for pruned segments (their signatures and
 * links, data-protection/retention/audit-chain.ts), then every row after them (its seal, its seq following the
 * previous one, its prev_hash being the previous hash), then the sealed head (rows deleted at the end). Reports
 * every problem (up to a limit) rather than the first only, so an operator sees the extent of a tampering.
 */
import {
  homeAnchorSigner,
  listAnchors,
  verifyAuditChain,
  type AuditChainSource,
} from '../data-protection/retention/audit-chain.js';
import type { Db } from '../store/database.js';
import { GENESIS, type AuditHead, type AuditRow, type AuditSeals } from './audit-seal.js';

const PAGE = 1000;

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

export function verifyAuditLog(
  db: Db,
  seals: AuditSeals,
  source: AuditChainSource,
  maxProblems = 50,
): AuditVerification {
  const problems: AuditProblem[] = [];
  const report = (seq: number, problem: string): void => {
    if (problems.length < maxProblems) problems.push({ seq, problem });
  };
  const rowsAfter = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');
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
      if (hash !== seals.row(rest))
        report(row.seq, `row ${row.seq} was edited: its content does not match its hash`);
      if (row.seq !== previousSeq + 1) {
        report(row.seq, `rows ${previousSeq + 1}–${row.seq - 1} are missing: deleted before row ${row.seq}`);
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
  const head = db.prepare('SELECT seq, link, mac FROM audit_head WHERE id = 1').get() as
    AuditHead | undefined;
  if (head === undefined) {
    if (count > 0) report(previousSeq, 'the sealed head of the log is missing (deleted by hand)');
  } else if (head.mac !== seals.head(head.seq, head.link)) {
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
}
