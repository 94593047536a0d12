import { getAuditLogTool, type AuditEntry } from '../../../protocol/tools/audit-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { AuditLog, AuditRow } from '../audit-log.js';
import type { AuditWriter } from '../audit-service.js';

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    principal: row.principal,
    role: row.role,
    via: row.via,
    task_id: row.task_id,
    tool: row.tool,
    access: row.access,
    args_sha256: row.args_sha256,
    targets: parseJson<string[]>(row.targets, []),
    outcome: row.outcome,
    error_code: row.error_code,
    duration_ms: row.duration_ms,
    hash: row.hash,
  };
}

export const getAuditLog = (log: AuditLog, writer: AuditWriter) =>
  implementTool(getAuditLogTool, args => {
    writer.flush();
    const limit = args.limit ?? 50;
    const rows = log.list({ limit, beforeSeq: args.before_seq, tool: args.tool, principal: args.principal });
    return {
      entries: rows.map(toEntry),
      next_before_seq: rows.length === limit ? (rows.at(-1)?.seq ?? null) : null,
    };
  });
