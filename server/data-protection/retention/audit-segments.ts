/**
 * Pruning the audit chain by retention policy: the oldest entries the policy selects go one verified segment at
 * a time, each replaced by a signed anchor in the same transaction (see audit-chain.ts for the chain, the
 * anchors and their verification).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '../../../protocol/errors.js';
import { writeTransaction, type Db } from '../../store/database.js';
import {
  listAnchors,
  type AnchorSigner,
  type AuditChainEntry,
  type AuditChainSource,
} from './audit-chain.js';
import {
  ageCutoff,
  type PruneContext,
  type PruneOutcome,
  type RetentionPolicy,
  type RetentionTarget,
} from './retention-target.js';

export interface AuditPruneOptions {
  db: Db;
  source: AuditChainSource;
  signer: AnchorSigner;
  /** Entries per anchor; each segment is verified and replaced in one transaction. */
  segmentSize?: number;
}

/** Where the policy cuts: the newest entry it selects, or undefined when it selects none. */
function cutSeq(source: AuditChainSource, policy: RetentionPolicy, now: number): number | undefined {
  const cutoff = ageCutoff(policy, now);
  const byAge = cutoff === undefined ? undefined : source.lastSeqBefore(cutoff);
  const byCount = policy.max_count === null ? undefined : source.lastSeqBeyondCount(policy.max_count);
  if (byAge === undefined) return byCount;
  if (byCount === undefined) return byAge;
  return Math.max(byAge, byCount);
}

/**
 * Prunes the chain's oldest entries selected by the policy, one verified segment at a time. A segment whose
 * entries do not verify is not pruned: the prune stops with CONFLICT and keeps the evidence.
 */
export async function pruneAuditChain(
  options: AuditPruneOptions,
  policy: RetentionPolicy,
  context: PruneContext,
): Promise<PruneOutcome> {
  const { db, source } = options;
  const segmentSize = options.segmentSize ?? 10_000;
  const cut = cutSeq(source, policy, context.now);
  const reason = [
    policy.max_age_days === null ? '' : `older than ${policy.max_age_days} days`,
    policy.max_count === null ? '' : `beyond the newest ${policy.max_count}`,
  ]
    .filter(Boolean)
    .join(' or ');
  if (cut === undefined) return { matched: 0, deleted: 0, detail: `no audit entries ${reason}` };
  const matched = source.countThrough(cut);
  if (context.dryRun || matched === 0) {
    return { matched, deleted: 0, detail: `audit entries ${reason}, as whole verified segments` };
  }
  let deleted = 0;
  while (!context.signal.aborted) {
    const pruned = writeTransaction(db, () =>
      pruneOneSegment(options, cut, segmentSize, reason, context.now),
    );
    deleted += pruned;
    if (pruned === 0) break;
    await nextTurn();
  }
  return { matched, deleted, detail: `audit entries ${reason}, replaced by signed anchors` };
}

/** Verifies and replaces one segment (inside the caller's write transaction). Returns entries pruned. */
function pruneOneSegment(
  options: AuditPruneOptions,
  cut: number,
  segmentSize: number,
  reason: string,
  now: number,
): number {
  const { db, source, signer } = options;
  const anchors = listAnchors(db);
  const last = anchors.at(-1);
  const startAfter = last?.last_seq ?? 0;
  const expectedPrev = last?.last_hash ?? source.genesis;
  // One more than the segment: the entry after it must link to the segment's last hash.
  const entries = source.entriesAfter(startAfter, segmentSize + 1);
  const segment = entries.filter(entry => entry.seq <= cut).slice(0, segmentSize);
  if (segment.length === 0) return 0;
  let previous = expectedPrev;
  for (const entry of segment) {
    if (entry.prevHash !== previous || entry.computedHash !== entry.hash) {
      throw new AppError(
        'CONFLICT',
        `the audit chain does not verify at entry ${entry.seq}: nothing more was pruned`,
        {
          hint: 'Run `az audit verify` and keep this database as evidence; retention never prunes a broken segment.',
          details: { seq: entry.seq },
        },
      );
    }
    previous = entry.hash;
  }
  const tail = segment.at(-1) as AuditChainEntry;
  const following = entries[segment.length];
  if (following && following.prevHash !== tail.hash) {
    throw new AppError(
      'CONFLICT',
      `the audit chain does not verify at entry ${following.seq}: nothing more was pruned`,
      {
        hint: 'Run `az audit verify` and keep this database as evidence; retention never prunes a broken segment.',
        details: { seq: following.seq },
      },
    );
  }
  const unsigned = {
    first_seq: (segment[0] as AuditChainEntry).seq,
    last_seq: tail.seq,
    entries: segment.length,
    first_prev_hash: expectedPrev,
    last_hash: tail.hash,
    previous_anchor: last?.signature ?? null,
    created_at: now,
    reason: `retention: ${reason}`,
  };
  db.prepare(
    `INSERT INTO audit_anchors (first_seq, last_seq, entries, first_prev_hash, last_hash, previous_anchor, created_at, reason, signature)
     VALUES (@first_seq, @last_seq, @entries, @first_prev_hash, @last_hash, @previous_anchor, @created_at, @reason, @signature)`,
  ).run({ ...unsigned, signature: signer.sign(unsigned) });
  source.deleteThrough(tail.seq);
  return segment.length;
}

/** The retention target for the audit log: register it with the audit table's source once that exists. */
export function auditRetentionTarget(options: AuditPruneOptions): RetentionTarget {
  return {
    name: 'audit',
    description: 'audit entries, pruned as whole verified segments replaced by signed anchors',
    prune: (policy, context) => pruneAuditChain(options, policy, context),
  };
}
