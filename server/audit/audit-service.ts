/**
 * The audit service: every tool call — who (token name and role, or the stdio / local user, and the task for
 * the agent), what (tool, SHA-256 of the arguments, target paths), outcome and duration — goes into the
 * hash-chained audit log, and admins read and verify it with get_audit_log / verify_audit_log.
 */
import type { ToolDefinition } from '../mcp/tool-definition.js';
import type { ToolCallRecord } from '../mcp/register-tools.js';
import type { Service } from '../services.js';
import { loadAuditKey } from './audit-key.js';
import { createAuditLog, type AuditCall } from './audit-log.js';
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

export const auditService: Service = ({ core, addTools, addToolCallObserver }) => {
  const log = createAuditLog(core.db, loadAuditKey(core.paths.home));
  // Calls that may change something are on disk before their result is returned.
  addToolCallObserver(record => {
    log.append(toAuditCall(record, Date.now()), record.access !== 'read');
  });
  addTools([getAuditLog(log), verifyAuditLog(log)] as unknown as readonly ToolDefinition[]);
};
