import { verifyAuditLogTool } from '../../../protocol/tools/audit-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { AuditLog } from '../audit-log.js';
import type { AuditWriter } from '../audit-service.js';

export const verifyAuditLog = (log: AuditLog, writer: AuditWriter) =>
  implementTool(verifyAuditLogTool, () => {
    writer.flush();
    const result = log.verify();
    return {
      ok: result.ok,
      rows_checked: result.rowsChecked,
      anchors: result.anchors,
      pruned_rows: result.prunedRows,
      last_seq: result.lastSeq,
      problems: result.problems,
    };
  });
