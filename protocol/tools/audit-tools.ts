/** Contracts of the audit tools: reading and verifying the hash-chained audit log. */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { READ_ONLY, defineTool } from '../tool-contract.js';

export const AuditEntrySchema = lazySchema(() =>
  z.object({
    seq: z.number().int(),
    at: z.string(),
    principal: z.string().describe('Token name, admin, stdio:USER or local:USER'),
    role: z.string(),
    via: z.string(),
    task_id: z.string().nullable(),
    tool: z.string(),
    access: z.string(),
    args_sha256: z.string().describe('SHA-256 of the arguments (canonical JSON); arguments are not stored'),
    targets: z.array(z.string()),
    outcome: z.string().describe('ok, error or input_required'),
    error_code: z.string().nullable(),
    duration_ms: z.number().int(),
    hash: z.string(),
  }),
);
export type AuditEntry = z.infer<ReturnType<typeof AuditEntrySchema>>;

export const getAuditLogTool = defineTool({
  name: 'get_audit_log',
  title: 'Get audit log',
  description:
    'Read the audit log, newest first: every tool call with who (token name and role, or the local user), ' +
    'what (tool, argument digest, target paths), outcome and duration.',
  input: () =>
    z.strictObject({
      limit: z.number().int().min(1).max(1000).optional().describe('Rows (default 50)'),
      before_seq: z.number().int().min(1).optional().describe('Page: rows older than this seq'),
      tool: z.string().max(64).optional().describe('Only calls of this tool'),
      principal: z.string().max(200).optional().describe('Only calls by this principal'),
    }),
  output: () =>
    z.object({ entries: z.array(AuditEntrySchema()), next_before_seq: z.number().int().nullable() }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'admin',
});

export const AuditProblemSchema = lazySchema(() => z.object({ seq: z.number().int(), problem: z.string() }));

export const verifyAuditLogTool = defineTool({
  name: 'verify_audit_log',
  title: 'Verify audit log',
  description:
    'Check the audit log hash chain from its first row (or the signed anchors of segments retention removed) ' +
    'to its sealed head: reports rows that were edited, deleted (in the middle or at the end) or inserted ' +
    'outside AZ-OS.',
  input: () => z.strictObject({}),
  output: () =>
    z.object({
      ok: z.boolean(),
      rows_checked: z.number().int(),
      anchors: z.number().int().describe('Signed anchors standing in for segments removed by retention'),
      pruned_rows: z.number().int().describe('Rows those anchors stand for'),
      last_seq: z.number().int().nullable(),
      problems: z.array(AuditProblemSchema()).describe('The first 50 problems, in order'),
    }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'admin',
});
