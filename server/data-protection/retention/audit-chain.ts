/**
 * The audit chain across retention: signed anchors that stand in for pruned segments, and verification.
 *
 * The audit log (issue 4) is a chain: every entry stores the hash of the one before it (`prevHash`) and its
 * own `hash`, computed over its content and `prevHash`. Deleting old entries would cut the chain, so retention
 * removes only a whole prefix segment that it verified first, and replaces it with one signed **anchor** row
 * (table audit_anchors) that records what was there: the first and last sequence numbers, how many entries,
 * the `prevHash` the segment started from and the `hash` it ended with. Anchors chain too (each names the
 * signature of the one before it, and starts where it ended), so after any number of prunes:
 *
 *   genesis ─▶ anchor 1 ─▶ anchor 2 … ─▶ anchor n ─▶ first kept entry ─▶ … ─▶ newest entry
 *
 * and `verifyAuditChain` checks every link and signature. It is the function `az audit verify` calls.
 *
 * Contract for the audit table (what `AuditChainSource` must give):
 *  - entries in chain order by an increasing integer `seq`; the first entry ever has `prevHash === genesis`;
 *  - `computedHash`: the hash recomputed from the stored row (not the stored `hash` column), so an altered row
 *    shows up as computedHash !== hash;
 *  - `deleteThrough(seq)` deletes entries with seq <= the given one and nothing else; it is called inside a
 *    write transaction that also inserts the anchor, on the same database connection.
 *
 * Security: the signature is an HMAC-SHA256 with a data key stored in the database (data_keys 'audit-anchor').
 * It proves an anchor was written by AZ-OS for this home, not by a hand editing rows; like the chain itself, it
 * cannot stop someone who can read the database's keys and rewrite it whole. Encrypt the database for that.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../store/database.js';
import { ensureDataKey } from '../data-keys.js';

export interface AuditChainEntry {
  seq: number;
  createdAt: number;
  prevHash: string;
  /** As stored. */
  hash: string;
  /** Recomputed from the stored content and prevHash. */
  computedHash: string;
}

/** The audit table as retention sees it (implemented by the audit subsystem for its table). */
export interface AuditChainSource {
  /** prevHash of the very first entry of the chain. */
  readonly genesis: string;
  /** Entries with seq > afterSeq in chain order, at most `limit`. */
  entriesAfter(afterSeq: number, limit: number): AuditChainEntry[];
  /** seq of the newest entry created before `time`, if any. */
  lastSeqBefore(time: number): number | undefined;
  /** seq of the entry that has exactly `count` newer entries after it, if any (the newest one beyond a count limit). */
  lastSeqBeyondCount(count: number): number | undefined;
  /** Entries with seq <= given, for dry runs. */
  countThrough(seq: number): number;
  deleteThrough(seq: number): void;
}

export interface AuditAnchor {
  seq: number;
  first_seq: number;
  last_seq: number;
  entries: number;
  first_prev_hash: string;
  last_hash: string;
  previous_anchor: string | null;
  created_at: number;
  reason: string;
  signature: string;
}

export interface AnchorSigner {
  sign(anchor: Omit<AuditAnchor, 'seq' | 'signature'>): string;
  verify(anchor: AuditAnchor): boolean;
}

function anchorText(anchor: Omit<AuditAnchor, 'seq' | 'signature'>): string {
  return [
    'az-os audit anchor v1',
    anchor.first_seq,
    anchor.last_seq,
    anchor.entries,
    anchor.first_prev_hash,
    anchor.last_hash,
    anchor.previous_anchor ?? '',
    anchor.created_at,
    anchor.reason,
  ].join('\n');
}

export function createAnchorSigner(key: Buffer): AnchorSigner {
  const sign = (anchor: Omit<AuditAnchor, 'seq' | 'signature'>): string =>
    createHmac('sha256', key).update(anchorText(anchor)).digest('hex');
  return {
    sign,
    verify(anchor) {
      const expected = Buffer.from(sign(anchor), 'hex');
      const actual = Buffer.from(anchor.signature, 'hex');
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

/** The signer of this home: HMAC with the 'audit-anchor' data key. */
export function homeAnchorSigner(db: Db): AnchorSigner {
  return createAnchorSigner(ensureDataKey(db, 'audit-anchor'));
}

export function listAnchors(db: Db): AuditAnchor[] {
  return db.prepare('SELECT * FROM audit_anchors ORDER BY seq').all() as AuditAnchor[];
}

export interface ChainProblem {
  /** The entry (or anchor, when `anchor` is true) where the chain breaks. */
  seq: number;
  anchor: boolean;
  reason: string;
}

export interface ChainVerification {
  ok: boolean;
  anchors: number;
  /** Entries summarised by anchors (pruned). */
  pruned_entries: number;
  /** Entries checked one by one. */
  entries: number;
  problem: ChainProblem | null;
}

const PAGE = 1000;

/**
 * Verifies anchors (signatures, links) and then every kept entry (hash, link) from the last anchor on.
 * Stops at the first problem.
 */
export function verifyAuditChain(db: Db, source: AuditChainSource, signer: AnchorSigner): ChainVerification {
  const anchors = listAnchors(db);
  let expectedPrev = source.genesis;
  let previousSignature: string | null = null;
  let pruned = 0;
  let lastSeq = 0;
  const fail = (problem: ChainProblem, entries: number): ChainVerification => ({
    ok: false,
    anchors: anchors.length,
    pruned_entries: pruned,
    entries,
    problem,
  });
  for (const anchor of anchors) {
    if (!signer.verify(anchor))
      return fail(
        { seq: anchor.seq, anchor: true, reason: 'the anchor signature does not match its content' },
        0,
      );
    if (anchor.previous_anchor !== previousSignature) {
      return fail(
        { seq: anchor.seq, anchor: true, reason: 'the anchor does not follow the previous anchor' },
        0,
      );
    }
    if (anchor.first_prev_hash !== expectedPrev || anchor.first_seq <= lastSeq) {
      return fail(
        { seq: anchor.seq, anchor: true, reason: 'the anchor does not continue the chain before it' },
        0,
      );
    }
    expectedPrev = anchor.last_hash;
    previousSignature = anchor.signature;
    lastSeq = anchor.last_seq;
    pruned += anchor.entries;
  }
  let entries = 0;
  for (;;) {
    const page = source.entriesAfter(lastSeq, PAGE);
    for (const entry of page) {
      if (entry.prevHash !== expectedPrev) {
        return fail(
          { seq: entry.seq, anchor: false, reason: 'its prev_hash is not the hash of the entry before it' },
          entries,
        );
      }
      if (entry.computedHash !== entry.hash) {
        return fail(
          { seq: entry.seq, anchor: false, reason: 'its content does not match its hash (altered)' },
          entries,
        );
      }
      expectedPrev = entry.hash;
      lastSeq = entry.seq;
      entries += 1;
    }
    if (page.length < PAGE) break;
  }
  return { ok: true, anchors: anchors.length, pruned_entries: pruned, entries, problem: null };
}
