import { verifyAuditLogTool } from '../../../protocol/tools/audit-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { AuditLog } from '../audit-log.js';

export const verifyAuditLog = (log: AuditLog) =>
  implementTool(verifyAuditLogTool, () => {
    const result = log.verify();
    return {
      ok: result.ok,
      rows_checked: result.rowsChecked,
      last_seq: result.lastSeq,
      problems: result.problems,
    };
  });
