/**
 * The audit service: every tool call — who (token name and role, or the stdio / local user, and the task for
 * the agent), what (tool, SHA-256 of the arguments, target paths), outcome and duration — goes into the
 * hash-chained audit log, and admins read and verify it with get_audit_log / verify_audit_log.
 */
import type { ToolDefinition } from '../mcp/tool-definition.js';
import type { ToolCallRecord } from '../mcp/register-tools.js';
import type { Service } from '../services.js';
import { ensureDataKey } from '../data-protection/data-keys.js';
import { homeAnchorSigner } from '../data-protection/retention/audit-chain.js';
import { auditRetentionTarget } from '../data-protection/retention/audit-segments.js';
import { createAuditLog, type AuditCall, type AuditLog } from './audit-log.js';
import { argumentsDigest } from './canonical-json.js';
import { getAuditLog } from './tools/get-audit-log.js';
import { verifyAuditLog } from './tools/verify-audit-log.js';

export function toAuditCall(record: ToolCallRecord, at: number): AuditCall {
  return {
    at,
    principal: record.principal.name,
    role: record.principal.role,
    via: record.principal.via,
    taskId: record.taskId,
    tool: record.tool,
    access: record.access,
    argsSha256: argumentsDigest(record.args),
    targets: record.targets,
    outcome: record.outcome,
    errorCode: record.errorCode,
    durationMs: record.durationMs,
  };
}

/** Read-only calls wait at most this long in memory before they are written (in one transaction). */
export const AUDIT_FLUSH_MS = 100;
const AUDIT_MAX_QUEUE = 256;

export type AuditWriter = ReturnType<typeof createAuditWriter>;

/**
 * Writes audit rows without putting a database commit on the path of every read: read-only calls are queued
 * and written together within AUDIT_FLUSH_MS; a call that may change something is written — after everything
 * queued before it, in the same transaction — and fsynced before its result is returned.
 */
export function createAuditWriter(log: AuditLog) {
  const queue: AuditCall[] = [];
  let timer: NodeJS.Timeout | undefined;
  const write = (durable: boolean): void => {
    clearTimeout(timer);
    timer = undefined;
    const calls = queue.splice(0);
    try {
      log.append(calls, durable);
    } catch (error) {
      // Never thrown into the tool call (its work is done) or a timer; the operator sees it in the log.
      console.error(`audit: ${calls.length} rows could not be written:`, error);
    }
  };
  return {
    record(call: AuditCall, durable: boolean): void {
      queue.push(call);
      if (durable || queue.length >= AUDIT_MAX_QUEUE) write(durable);
      else if (timer === undefined) {
        timer = setTimeout(() => write(false), AUDIT_FLUSH_MS);
        timer.unref();
      }
    },
    /** Writes what is queued now (before reading the log, and when the server closes). */
    flush(): void {
      if (queue.length > 0) write(false);
    },
  };
}

export const auditService: Service = ({ core, addTools, addToolCallObserver }) => {
  const log = createAuditLog(core.db, ensureDataKey(core.db, 'audit-chain'));
  // Retention (retention.audit) prunes old rows only as whole verified segments replaced by signed anchors.
  core.retentionTargets.set(
    'audit',
    auditRetentionTarget({ db: core.db, source: log.source, signer: homeAnchorSigner(core.db) }),
  );
  const writer = createAuditWriter(log);
  addToolCallObserver(record => writer.record(toAuditCall(record, Date.now()), record.access !== 'read'));
  core.onClose(() => writer.flush());
  addTools([getAuditLog(log, writer), verifyAuditLog(log, writer)] as unknown as readonly ToolDefinition[]);
};
