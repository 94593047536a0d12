/**
 * Contracts of the data-protection tools: backup, retention, and the maintenance tools that need the home to
 * themselves (encrypt, decrypt, rekey, restore, doctor). The maintenance tools are served only by the
 * maintenance server the CLI starts in its own process (`az db encrypt`, `az doctor`…), never by a daemon.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { defineTool, READ_ONLY } from '../tool-contract.js';

const AbsolutePathSchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(4096)
    .refine(path => !path.includes('\0'), 'must not contain NUL characters')
    .refine(path => path.startsWith('/'), 'must be an absolute path'),
);

export const RETENTION_TARGET_NAMES = [
  'task_events',
  'finished_tasks',
  'step_journals',
  'tool_outputs',
  'audit',
  'memories',
] as const;

export const BackupSummarySchema = lazySchema(() =>
  z.object({
    path: z.string(),
    created_at: z.string(),
    database: z.object({
      encrypted: z.boolean(),
      schema_version: z.number().int(),
      size_bytes: z.number().int(),
    }),
    chroma: z.object({ included: z.boolean(), files: z.number().int(), bytes: z.number().int() }),
    checkpoints: z.object({ included: z.boolean(), files: z.number().int(), bytes: z.number().int() }),
    files: z.number().int().describe('Files in the backup, each with a SHA-256 in manifest.json'),
    bytes: z.number().int(),
    duration_ms: z.number(),
  }),
);
export type BackupSummary = z.infer<ReturnType<typeof BackupSummarySchema>>;

export const backupDatabaseTool = defineTool({
  name: 'backup_database',
  title: 'Back up AZ-OS data',
  description:
    'Write a consistent backup of this home to a new directory: the SQLite database (an online snapshot; ' +
    'tasks keep running), the Chroma memory folder, the checkpoint repositories and config.json, with a ' +
    'manifest of SHA-256 checksums. An encrypted database stays encrypted in the backup (the key is not ' +
    'included). The path is on the server machine, must be absolute and must not exist yet.',
  input: () =>
    z.strictObject({
      path: AbsolutePathSchema().describe(
        'Directory to create for the backup (absolute, on the server machine)',
      ),
      include_memory: z.boolean().optional().describe('Include AZ_HOME/chroma (default true)'),
      include_checkpoints: z.boolean().optional().describe('Include AZ_HOME/checkpoints (default true)'),
    }),
  output: () => BackupSummarySchema(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  profile: 'all',
  access: 'admin',
});

export const RetentionPolicyOutputSchema = lazySchema(() =>
  z.object({
    max_age_days: z.number().int().nullable(),
    max_count: z.number().int().nullable(),
  }),
);

export const PruneResultSchema = lazySchema(() =>
  z.object({
    target: z.enum(RETENTION_TARGET_NAMES),
    policy: RetentionPolicyOutputSchema(),
    status: z
      .enum(['pruned', 'dry_run', 'disabled', 'unavailable', 'failed'])
      .describe('disabled: no limit set; unavailable: nothing stores this kind of data here'),
    matched: z.number().int().describe('Rows the policy selects'),
    deleted: z.number().int(),
    detail: z.string(),
  }),
);
export type PruneResult = z.infer<ReturnType<typeof PruneResultSchema>>;

export const pruneDataTool = defineTool({
  name: 'prune_data',
  title: 'Prune old data',
  description:
    'Delete data beyond the retention policies in config (retention.*: task events, finished tasks, step ' +
    'journals, tool outputs, audit, memories — each an age and/or count limit). Live tasks are never touched; ' +
    'audit entries go only as whole verified chain segments replaced by signed anchors. Use dry_run to see ' +
    'what would go.',
  input: () =>
    z.strictObject({
      dry_run: z.boolean().optional().describe('Count what would be deleted; delete nothing'),
      targets: z.array(z.enum(RETENTION_TARGET_NAMES)).max(6).optional().describe('Only these policies'),
    }),
  output: () =>
    z.object({
      dry_run: z.boolean(),
      deleted: z.number().int(),
      results: z.array(PruneResultSchema()),
      duration_ms: z.number(),
    }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  profile: 'all',
  access: 'admin',
});

export const EncryptionOutcomeSchema = lazySchema(() =>
  z.object({
    status: z.enum([
      'encrypted',
      'created_encrypted',
      'already_encrypted',
      'decrypted',
      'already_plain',
      'rekeyed',
    ]),
    cipher: z.string().nullable(),
    key_source: z.string().nullable().describe('Where the key comes from (never the key)'),
    key_file_created: z.string().nullable().describe('A key file AZ-OS wrote: back it up'),
    key_file_retired: z.string().nullable().describe('Where the previous key was kept (old backups need it)'),
    database: z
      .object({ size_bytes: z.number().int(), tables: z.number().int(), rows: z.number().int() })
      .nullable(),
    duration_ms: z.number(),
  }),
);
export type EncryptionOutcome = z.infer<ReturnType<typeof EncryptionOutcomeSchema>>;

const MAINTENANCE = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const encryptDatabaseTool = defineTool({
  name: 'encrypt_database',
  title: 'Encrypt the database',
  description:
    'Encrypt the home database (SQLCipher 4) with the key from AZ_DB_KEY, AZ_DB_KEY_FILE or AZ_HOME/db.key; ' +
    'generates AZ_HOME/db.key when none is configured. Creates the database encrypted when there is none. ' +
    'Needs the home to itself (no running server).',
  input: () => z.strictObject({}),
  output: () => EncryptionOutcomeSchema(),
  annotations: MAINTENANCE,
  profile: 'all',
  access: 'admin',
});

export const decryptDatabaseTool = defineTool({
  name: 'decrypt_database',
  title: 'Decrypt the database',
  description:
    'Turn an encrypted home database back into a plain SQLite file. Needs the key and the home to itself.',
  input: () => z.strictObject({}),
  output: () => EncryptionOutcomeSchema(),
  annotations: MAINTENANCE,
  profile: 'all',
  access: 'admin',
});

export const rekeyDatabaseTool = defineTool({
  name: 'rekey_database',
  title: 'Rotate the database key',
  description:
    'Re-encrypt the database with a new key: from new_key_file, AZ_DB_NEW_KEY, or (when the current key is ' +
    'AZ_HOME/db.key) a generated one written to db.key. The old key is kept as db.key.retired-* for old backups.',
  input: () =>
    z.strictObject({
      new_key_file: AbsolutePathSchema().optional().describe('File holding the new key (mode 0600)'),
    }),
  output: () => EncryptionOutcomeSchema(),
  annotations: { ...MAINTENANCE, idempotentHint: false },
  profile: 'all',
  access: 'admin',
});

export const restoreBackupTool = defineTool({
  name: 'restore_backup',
  title: 'Restore a backup',
  description:
    'Restore a backup made by backup_database into this home after verifying every checksum and the ' +
    "database's integrity. Refuses while a server runs on the home, and refuses to replace existing data " +
    'unless force is set (the replaced data is moved to AZ_HOME/pre-restore-TIMESTAMP, not deleted).',
  input: () =>
    z.strictObject({
      path: AbsolutePathSchema().describe('The backup directory'),
      force: z.boolean().optional().describe('Replace the existing database, memory and checkpoints'),
    }),
  output: () =>
    z.object({
      restored_from: z.string(),
      backup_created_at: z.string(),
      schema_version: z.number().int(),
      encrypted: z.boolean(),
      files: z.number().int(),
      bytes: z.number().int(),
      moved_aside: z.string().nullable().describe('Where the replaced data went'),
      duration_ms: z.number(),
    }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  profile: 'all',
  access: 'admin',
});

export const DoctorCheckSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    status: z.enum(['ok', 'warn', 'fail', 'skip']),
    detail: z.string(),
    fix: z.string().optional().describe('What to do about it'),
  }),
);
export type DoctorCheck = z.infer<ReturnType<typeof DoctorCheckSchema>>;

export const runDoctorTool = defineTool({
  name: 'run_doctor',
  title: 'Check the installation',
  description:
    'Check Node, AZ_HOME permissions, the database (integrity, migrations, encryption, key), the token file, ' +
    'Chroma, bubblewrap, the LLM gateway and free disk; each problem comes with a fix.',
  input: () => z.strictObject({}),
  output: () => z.object({ ok: z.boolean(), checks: z.array(DoctorCheckSchema()) }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'admin',
});
