/**
 * A shadow git repository for one workspace: AZ_HOME/checkpoints/<hash of the workspace path>.git, with the
 * workspace as its work tree. Checkpoints are its commits; the workspace's own .git, history, config and hooks
 * are never read or touched.
 *
 * Security: git runs with GIT_DIR/GIT_WORK_TREE set, no global or system config (GIT_CONFIG_GLOBAL=/dev/null,
 * GIT_CONFIG_NOSYSTEM), hooks off (core.hooksPath=/dev/null), no signing, no pager or editor, and literal
 * pathspecs (a file named `:(glob)**` is a name, not a pattern). Ids are validated as hex before git sees them.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimpleGit, simpleGit as SimpleGitFactory } from 'simple-git';
import { AppError } from '../../protocol/errors.js';
import type { CheckpointInfo } from '../../protocol/tools/checkpoint-tools.js';

export interface CheckpointRequest {
  reason: string;
  message?: string | undefined;
  taskId?: string | undefined;
  step?: number | undefined;
  attempt?: number | undefined;
  /** Commit even when nothing changed (a task's start marker). */
  force?: boolean | undefined;
}

export interface CheckpointResult {
  created: boolean;
  checkpoint: CheckpointInfo | null;
  skipped_large: string[];
}

const FIELD = '\u001f';
const RECORD = '\u001e';
const LOG_FORMAT = `--format=%H${FIELD}%cI${FIELD}%B${RECORD}`;

export function shadowDirFor(checkpointsDir: string, workspace: string): string {
  return join(checkpointsDir, `${createHash('sha256').update(workspace).digest('hex').slice(0, 20)}.git`);
}

function trailer(body: string, key: string): string | undefined {
  return new RegExp(`^${key}: (.+)$`, 'm').exec(body)?.[1]?.trim();
}

export function parseLog(output: string): CheckpointInfo[] {
  return output
    .split(RECORD)
    .map(record => record.replace(/^\n/, ''))
    .filter(record => record.includes(FIELD))
    .map(record => {
      const [id = '', date = '', body = ''] = record.split(FIELD);
      const step = trailer(body, 'Az-Step');
      const attempt = trailer(body, 'Az-Attempt');
      return {
        id,
        short_id: id.slice(0, 12),
        created_at: new Date(date).toISOString(),
        reason: trailer(body, 'Az-Reason') ?? 'manual',
        message: body.split('\n', 1)[0] ?? '',
        task_id: trailer(body, 'Az-Task') ?? null,
        step: step === undefined ? null : Number(step),
        attempt: attempt === undefined ? null : Number(attempt),
      };
    });
}

export type ShadowRepo = ReturnType<typeof openShadowRepo>;

export function openShadowRepo(options: {
  checkpointsDir: string;
  workspace: string;
  maxFileBytes: number;
  /** simple-git's factory (loaded by the caller on first use). */
  simpleGit: typeof SimpleGitFactory;
}) {
  const { workspace, maxFileBytes } = options;
  const gitDir = shadowDirFor(options.checkpointsDir, workspace);
  const env = {
    GIT_DIR: gitDir,
    GIT_WORK_TREE: workspace,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_LITERAL_PATHSPECS: '1',
    GIT_TERMINAL_PROMPT: '0',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: gitDir,
    LANG: 'C',
  };
  const git: SimpleGit = options
    .simpleGit({
      baseDir: workspace,
      config: [
        'core.hooksPath=/dev/null',
        'commit.gpgSign=false',
        'core.autocrlf=false',
        'core.quotePath=false',
        'core.fsmonitor=false',
        'user.name=AZ-OS checkpoints',
        'user.email=checkpoints@az-os.local',
        'gc.auto=0',
        'core.untrackedCache=true',
      ],
      unsafe: { allowUnsafeHooksPath: true, allowUnsafeConfigPaths: true, allowUnsafeFsMonitor: true },
      allowEnvironment: Object.keys(env).filter(key => key.startsWith('GIT_')),
      timeout: { block: 120_000 },
    })
    .env(env);

  const exists = (): boolean => existsSync(join(gitDir, 'HEAD'));

  async function ensure(): Promise<void> {
    if (exists()) return;
    mkdirSync(options.checkpointsDir, { recursive: true, mode: 0o700 });
    await git.raw(['init', '--quiet']);
    writeFileSync(join(gitDir, 'az-workspace'), `${workspace}\n`, { mode: 0o600 });
  }

  async function head(): Promise<CheckpointInfo | null> {
    const output = await git.raw(['log', '-1', LOG_FORMAT]).catch(() => '');
    return parseLog(output)[0] ?? null;
  }

  async function resolve(id: string): Promise<string> {
    // Security: only hex reaches git, so an id can never be read as an option or a revision expression.
    if (!/^[0-9a-f]{4,64}$/.test(id)) {
      throw new AppError(
        'INVALID_INPUT',
        `'${id.slice(0, 80)}' is not a checkpoint id (hex, from list_checkpoints)`,
      );
    }
    if (!exists()) throw new AppError('NOT_FOUND', `there are no checkpoints of ${workspace}`);
    const full = (
      await git.raw(['rev-parse', '--verify', '--quiet', `${id}^{commit}`]).catch(() => '')
    ).trim();
    if (!full)
      throw new AppError('NOT_FOUND', `no checkpoint ${id} of ${workspace}`, {
        hint: 'az checkpoint list shows the ids.',
      });
    return full;
  }

  async function withPathspec<T>(paths: readonly string[], fn: (file: string) => Promise<T>): Promise<T> {
    const file = join(gitDir, 'az-pathspec');
    writeFileSync(file, paths.map(path => `${path}\0`).join(''));
    return fn(file);
  }

  async function checkpoint(request: CheckpointRequest): Promise<CheckpointResult> {
    await ensure();
    // `git status` (unlike ls-files) refreshes the index's stat cache, so unchanged files are not re-read.
    // Commands here are made to print something (--branch, --verbose): simple-git waits 50 ms after a
    // command that printed nothing, which would dominate an unchanged checkpoint.
    const status = await git.raw([
      'status',
      '--porcelain=v1',
      '-z',
      '--branch',
      '--untracked-files=all',
      '--no-renames',
    ]);
    const changed = [
      ...new Set(
        status
          .split('\0')
          .filter(entry => entry.length > 3 && !entry.startsWith('## '))
          .map(entry => entry.slice(3)),
      ),
    ];
    const add: string[] = [];
    const large: string[] = [];
    const gone: string[] = [];
    for (const path of changed) {
      let size = 0;
      try {
        const stats = lstatSync(join(workspace, path));
        size = stats.isFile() ? stats.size : 0;
      } catch {
        gone.push(path); // deleted (or now behind a symlink): staged as a removal
        continue;
      }
      (size > maxFileBytes ? large : add).push(path);
    }
    const removals = [...large, ...gone];
    if (removals.length > 0) {
      // A file that grew past the limit leaves the checkpoints instead of keeping a stale copy.
      await withPathspec(removals, file =>
        git.raw([
          'rm',
          '--cached',
          '--ignore-unmatch',
          `--pathspec-from-file=${file}`,
          '--pathspec-file-nul',
        ]),
      );
    }
    if (add.length > 0 && large.length === 0) {
      await git.raw(['add', '-A', '--verbose']); // everything status listed: no need to name thousands of paths
    } else if (add.length > 0) {
      await withPathspec(add, file =>
        git.raw(['add', '-A', '--verbose', `--pathspec-from-file=${file}`, '--pathspec-file-nul']),
      );
    }
    const staged =
      add.length + removals.length > 0 &&
      (await git.raw(['diff', '--cached', '--name-only', '-z'])).length > 0;
    if (!staged && !request.force) {
      const current = await head();
      if (current !== null) return { created: false, checkpoint: current, skipped_large: large };
    }
    const lines = [
      request.message
        ? `${request.reason}: ${request.message.split('\n', 1)[0]?.slice(0, 200)}`
        : request.reason,
      '',
      `Az-Reason: ${request.reason}`,
      ...(request.taskId ? [`Az-Task: ${request.taskId}`] : []),
      ...(request.step === undefined ? [] : [`Az-Step: ${request.step}`]),
      ...(request.attempt === undefined ? [] : [`Az-Attempt: ${request.attempt}`]),
    ];
    await git.raw(['commit', '--no-verify', '--allow-empty', '-m', lines.join('\n')]);
    return { created: true, checkpoint: await head(), skipped_large: large };
  }

  return {
    gitDir,
    workspace,
    maxFileBytes,
    exists,
    checkpoint,
    resolve,
    head,
    git,
    withPathspec,

    async list(filter: { taskId?: string | undefined; limit: number }): Promise<CheckpointInfo[]> {
      if (!exists() || (await head()) === null) return [];
      const all = parseLog(
        await git.raw(['log', LOG_FORMAT, '-n', String(filter.taskId ? 10_000 : filter.limit)]),
      );
      return (filter.taskId ? all.filter(item => item.task_id === filter.taskId) : all).slice(
        0,
        filter.limit,
      );
    },
  };
}
