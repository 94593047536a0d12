/**
 * Contracts of the checkpoint tools: git snapshots of a task's workspace in a shadow repository (never the
 * workspace's own .git). AZ-OS checkpoints after every agent step that may have changed files and every few
 * minutes while a task runs; these tools list, compare, create and restore them. A restore first checkpoints
 * the current state, so it can itself be undone.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { READ_ONLY, defineTool } from '../tool-contract.js';
import { AbsolutePathSchema, IdSchema } from '../text-rules.js';

export const CheckpointInfoSchema = lazySchema(() =>
  z.object({
    id: z.string().describe('Full checkpoint id (a commit hash of the shadow repository)'),
    short_id: z.string(),
    created_at: z.string(),
    reason: z.string().describe('start, step, periodic, manual, before-restore or restore'),
    message: z.string(),
    task_id: z.string().nullable(),
    step: z.number().int().nullable().describe('The last journaled agent step when it was taken'),
    attempt: z.number().int().nullable().describe('The task attempt it belongs to'),
  }),
);
export type CheckpointInfo = z.infer<ReturnType<typeof CheckpointInfoSchema>>;

const CheckpointIdSchema = lazySchema(() =>
  z
    .string()
    .min(4)
    .max(64)
    .regex(/^[0-9a-f]+$/, 'must be a checkpoint id (hex) from list_checkpoints'),
);

/** Which workspace: a task's (task_id), a directory (workspace), or the caller's own task when the agent asks. */
const Target = lazySchema(() => ({
  task_id: IdSchema().optional().describe("Use this task's workspace"),
  workspace: AbsolutePathSchema().optional().describe('Absolute path of the workspace directory'),
}));

export const createCheckpointTool = defineTool({
  name: 'create_checkpoint',
  title: 'Create checkpoint',
  description:
    'Snapshot the workspace now (files ignored by .gitignore and very large files are left out). Use it before a ' +
    'risky change. Returns the new checkpoint, or the latest one when nothing changed.',
  input: () =>
    z.strictObject({
      ...Target(),
      message: z.string().max(500).optional().describe('What this point is'),
    }),
  output: () =>
    z.object({
      workspace: z.string(),
      created: z.boolean().describe('false when nothing changed since the last checkpoint'),
      checkpoint: CheckpointInfoSchema().nullable(),
      skipped_large: z.array(z.string()).describe('Files left out for exceeding checkpoints.max_file_bytes'),
    }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  profile: 'full',
  access: 'write',
});

export const listCheckpointsTool = defineTool({
  name: 'list_checkpoints',
  title: 'List checkpoints',
  description: 'List checkpoints of a workspace, newest first, optionally only those of one task.',
  input: () =>
    z.strictObject({
      ...Target(),
      only_task: z.boolean().optional().describe('With task_id: only checkpoints taken while that task ran'),
      limit: z.number().int().min(1).max(500).optional().describe('Default 50'),
    }),
  output: () => z.object({ workspace: z.string(), checkpoints: z.array(CheckpointInfoSchema()) }),
  annotations: READ_ONLY,
  profile: 'full',
  access: 'read',
});

export const DiffFileSchema = lazySchema(() =>
  z.object({
    path: z.string(),
    status: z.string().describe('A added, M modified, D deleted, R renamed, T type changed'),
    additions: z.number().int().nullable().describe('null for binary files'),
    deletions: z.number().int().nullable(),
  }),
);

export const diffCheckpointTool = defineTool({
  name: 'diff_checkpoint',
  title: 'Diff checkpoint',
  description:
    'Show what changed between a checkpoint and another one (`to`), or the files as they are now when `to` is ' +
    'omitted: the changed files with line counts, and the patch (cut at max_patch_bytes; new files not yet ' +
    'checkpointed are listed without a patch).',
  input: () =>
    z.strictObject({
      ...Target(),
      checkpoint_id: CheckpointIdSchema(),
      to: CheckpointIdSchema().optional(),
      max_patch_bytes: z
        .number()
        .int()
        .min(0)
        .max(1_000_000)
        .optional()
        .describe('Default 20,000; 0 for none'),
    }),
  output: () =>
    z.object({
      workspace: z.string(),
      from: z.string(),
      to: z.string().describe('A checkpoint id, or "workspace"'),
      files: z.array(DiffFileSchema()),
      patch: z.string(),
      truncated: z.boolean(),
    }),
  annotations: READ_ONLY,
  profile: 'full',
  access: 'read',
});

export const restoreCheckpointTool = defineTool({
  name: 'restore_checkpoint',
  title: 'Restore checkpoint',
  description:
    'Put the workspace (or only `paths` in it) back as it was at a checkpoint. The current state is ' +
    'checkpointed first (`undo_checkpoint`), so a restore can be undone by restoring that. Ignored files are ' +
    'kept; files the checkpoint would overwrite that were never checkpointed are copied to `backups` first.',
  input: () =>
    z.strictObject({
      ...Target(),
      checkpoint_id: CheckpointIdSchema(),
      paths: z
        .array(z.string().min(1).max(4096))
        .min(1)
        .max(1000)
        .optional()
        .describe('Only these files or folders, relative to the workspace'),
    }),
  output: () =>
    z.object({
      workspace: z.string(),
      restored: CheckpointInfoSchema(),
      undo_checkpoint: CheckpointInfoSchema().nullable().describe('Restore this to undo'),
      backups: z.array(z.string()).describe('Copies of overwritten files that were never checkpointed'),
    }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  profile: 'full',
  access: 'write',
});
