/**
 * The seals of the audit chain: an HMAC-SHA256 over each row (all its fields, in a fixed order, including seq
 * and prev_hash) and over the head (the last seq and hash), keyed by the 'audit-chain' data key. Without the
 * key nobody can produce a row or head that verifies.
 */
import { createHmac } from 'node:crypto';

/** prev_hash of the first row ever. */
export const GENESIS = '0'.repeat(64);
const ROW_DOMAIN = 'azos-audit-row-v1\n';
const HEAD_DOMAIN = 'azos-audit-head-v1\n';

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
  /** JSON array of real paths. */
  targets: string;
  outcome: string;
  error_code: string | null;
  duration_ms: number;
  prev_hash: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  link: string;
  mac: string;
}

export interface AuditSeals {
  row(row: Omit<AuditRow, 'hash'>): string;
  head(seq: number, link: string): string;
}

export function createAuditSeals(key: Buffer): AuditSeals {
  const hmac = (domain: string, text: string): string =>
    createHmac('sha256', key).update(domain).update(text).digest('hex');
  return {
    row: row =>
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
      ),
    head: (seq, link) => hmac(HEAD_DOMAIN, `${seq}\n${link}`),
  };
}
