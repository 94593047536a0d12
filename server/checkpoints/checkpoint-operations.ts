/**
 * Restoring and comparing checkpoints. A restore is itself checkpointed first (reason before-restore), then the
 * work tree is set to the checkpoint with `git read-tree -u --reset` (files added since are removed, ignored
 * files are left alone), then the result is checkpointed (reason restore). Files the restore would overwrite
 * that were never checkpointed (ignored or too large) are copied to the shadow repository's backups first.
 */
import { copyFileSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../../protocol/errors.js';
import type { CheckpointInfo } from '../../protocol/tools/checkpoint-tools.js';
import { workspaceRelativePath } from './path-guard.js';
import type { ShadowRepo } from './shadow-repo.js';

export interface RestoreResult {
  restored: CheckpointInfo;
  undo_checkpoint: CheckpointInfo | null;
  backups: string[];
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

async function info(repo: ShadowRepo, id: string): Promise<CheckpointInfo> {
  const all = await repo.list({ limit: 100_000 });
  const found = all.find(item => item.id === id);
  if (!found) throw new AppError('NOT_FOUND', `no checkpoint ${id}`);
  return found;
}

export async function restoreCheckpoint(
  repo: ShadowRepo,
  id: string,
  options: {
    paths?: readonly string[] | undefined;
    taskId?: string | undefined;
    step?: number | undefined;
  } = {},
): Promise<RestoreResult> {
  const target = await repo.resolve(id);
  const paths = options.paths?.map(path => workspaceRelativePath(repo.workspace, path));
  const restored = await info(repo, target);
  const safety = await repo.checkpoint({
    reason: 'before-restore',
    message: `state before restoring ${restored.short_id}`,
    taskId: options.taskId,
    step: options.step,
  });
  const backups: string[] = [];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const backup = (path: string): void => {
    const source = join(repo.workspace, path);
    const copy = join(repo.gitDir, 'az-backups', stamp, path);
    mkdirSync(dirname(copy), { recursive: true, mode: 0o700 });
    if (lstatSync(source).isFile()) {
      copyFileSync(source, copy);
      backups.push(copy);
    }
  };
  if (paths) {
    const listed = await repo.git.raw(['ls-tree', '-r', '-z', '--name-only', target, '--', ...paths]);
    const known = new Set(listed.split('\0').filter(Boolean));
    const missing = paths.filter(
      path => ![...known].some(name => name === path || name.startsWith(`${path}/`)),
    );
    if (missing.length > 0) {
      throw new AppError('NOT_FOUND', `checkpoint ${restored.short_id} has no ${missing.join(', ')}`, {
        hint: 'diff_checkpoint lists the files of a checkpoint that differ from now.',
      });
    }
    const tracked = new Set((await repo.git.raw(['ls-files', '-z'])).split('\0').filter(Boolean));
    for (const name of known) if (!tracked.has(name) && exists(join(repo.workspace, name))) backup(name);
    await repo.withPathspec(paths, file =>
      repo.git.raw(['checkout', target, `--pathspec-from-file=${file}`, '--pathspec-file-nul']),
    );
  } else {
    const added = await repo.git.raw([
      'diff',
      '--name-only',
      '-z',
      '--no-renames',
      '--diff-filter=A',
      'HEAD',
      target,
    ]);
    for (const name of added.split('\0').filter(Boolean))
      if (exists(join(repo.workspace, name))) backup(name);
    await repo.git.raw(['read-tree', '-u', '--reset', target]);
  }
  await repo.checkpoint({
    reason: 'restore',
    message: `restored ${restored.short_id}`,
    taskId: options.taskId,
    step: options.step,
  });
  return { restored, undo_checkpoint: safety.checkpoint, backups };
}

export interface DiffResult {
  from: string;
  to: string;
  files: { path: string; status: string; additions: number | null; deletions: number | null }[];
  patch: string;
  truncated: boolean;
}

export async function diffCheckpoint(
  repo: ShadowRepo,
  from: string,
  to: string | undefined,
  maxPatchBytes: number,
): Promise<DiffResult> {
  const fromId = await repo.resolve(from);
  const toId = to === undefined ? undefined : await repo.resolve(to);
  const range = toId ? [fromId, toId] : [fromId];
  const statuses = (await repo.git.raw(['diff', '--name-status', '-z', '--no-renames', ...range])).split(
    '\0',
  );
  const numbers = new Map<string, [number | null, number | null]>();
  for (const line of (await repo.git.raw(['diff', '--numstat', '-z', '--no-renames', ...range])).split(
    '\0',
  )) {
    const match = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(line);
    if (match)
      numbers.set(match[3] as string, [
        match[1] === '-' ? null : Number(match[1]),
        match[2] === '-' ? null : Number(match[2]),
      ]);
  }
  const files: DiffResult['files'] = [];
  for (let index = 0; index + 1 < statuses.length; index += 2) {
    const path = statuses[index + 1] as string;
    const [additions, deletions] = numbers.get(path) ?? [null, null];
    files.push({ path, status: statuses[index] as string, additions, deletions });
  }
  if (!toId) {
    // Against the files as they are now: new files not checkpointed yet count as added too.
    const untracked = await repo.git.raw(['ls-files', '-z', '--others', '--exclude-standard']);
    for (const path of untracked.split('\0').filter(Boolean)) {
      let size = 0;
      try {
        size = lstatSync(join(repo.workspace, path)).size;
      } catch {
        continue;
      }
      if (size <= repo.maxFileBytes) files.push({ path, status: 'A', additions: null, deletions: null });
    }
  }
  let patch =
    maxPatchBytes > 0
      ? await repo.git.raw(['diff', '--no-color', '--no-ext-diff', '--no-renames', ...range])
      : '';
  const truncated = Buffer.byteLength(patch) > maxPatchBytes;
  if (truncated) patch = Buffer.from(patch).subarray(0, maxPatchBytes).toString('utf8');
  return { from: fromId, to: toId ?? 'workspace', files, patch, truncated };
}
