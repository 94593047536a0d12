/**
 * The data-protection service: retention targets of the task store, the backup and prune tools, the
 * encryption and retention status, and (in the daemon) the automatic prune. Encryption itself needs no
 * service: every core opens its database through openHomeDatabase.
 */
import { backupDatabaseTool, pruneDataTool } from '../../protocol/tools/data-tools.js';
import type { Core } from '../core.js';
import { implementTool, type ToolDefinition } from '../mcp/tool-definition.js';
import type { Service } from '../services.js';
import { createBackup } from './backup/create-backup.js';
import { createPruner, startAutoPrune, type Pruner } from './retention/auto-prune.js';
import { lastPrune, policiesOf } from './retention/run-prune.js';
import { finishedTasksTarget, taskEventsTarget } from './retention/task-targets.js';

function dataTools(pruner: Pruner): ToolDefinition[] {
  return [
    implementTool(backupDatabaseTool, (args, { core, progress, signal }) =>
      createBackup(
        {
          path: args.path,
          includeMemory: args.include_memory ?? true,
          includeCheckpoints: args.include_checkpoints ?? true,
        },
        {
          paths: core.paths,
          db: core.db,
          key: core.databaseKey(),
          signal,
          progress: throttle((done, total, message) => void progress(done, total, message)),
        },
      ),
    ),
    implementTool(pruneDataTool, (args, { signal }) =>
      pruner.run({ dryRun: args.dry_run ?? false, trigger: 'manual', signal, targets: args.targets }),
    ),
  ] as unknown as ToolDefinition[];
}

/** Progress is for people: at most ten notifications a second, and always the last one. */
function throttle(report: (done: number, total: number, message: string) => void) {
  let last = 0;
  return (done: number, total: number, message: string): void => {
    if (Date.now() - last < 100 && done < total) return;
    last = Date.now();
    report(done, total, message);
  };
}

function registerStatus(core: Core): void {
  core.statusProviders.set('encryption', () => {
    const { encrypted, keySource, keyUnused } = core.encryption;
    if (encrypted) return { status: 'ok', detail: `database encrypted (SQLCipher 4), key from ${keySource}` };
    return {
      status: keyUnused ? 'degraded' : 'disabled',
      detail: keyUnused
        ? 'a key is configured but the database is plain: run az db encrypt with the server stopped'
        : 'database not encrypted (az db encrypt)',
    };
  });
  core.statusProviders.set('retention', () => {
    const policies = Object.entries(policiesOf(core)).filter(
      ([, policy]) => policy.max_age_days !== null || policy.max_count !== null,
    );
    const last = lastPrune(core);
    const lastText = last ? `; last prune ${last.finished_at} (${last.trigger}, ${last.deleted} rows)` : '';
    if (policies.length === 0) return { status: 'disabled', detail: `no retention limits set${lastText}` };
    return {
      status: 'ok',
      detail: `limits on ${policies.map(([name]) => name).join(', ')}${lastText}`,
      data: { last_prune: last ?? null },
    };
  });
}

export const dataProtectionService: Service = ({ core, mode, addTools }) => {
  core.retentionTargets.set('task_events', taskEventsTarget(core));
  core.retentionTargets.set('finished_tasks', finishedTasksTarget(core));
  const pruner = createPruner(core);
  addTools(dataTools(pruner));
  registerStatus(core);
  if (mode === 'daemon') {
    const stop = startAutoPrune(core, pruner);
    core.onClose(stop);
  }
};
