/**
 * Running retention: every policy in config that sets a limit is handed to the target registered for it.
 * A policy without a target (its subsystem is not part of this build) is reported, not ignored. Each run that
 * deletes is logged in prune_runs (the newest 200 runs are kept), which `az doctor` and status read back.
 */
import { isAppError } from '../../../protocol/errors.js';
import type { Core } from '../../core.js';
import { writeTransaction } from '../../store/database.js';
import {
  RETENTION_POLICY_NAMES,
  type RetentionPolicy,
  type RetentionPolicyName,
} from './retention-target.js';

export type PruneTrigger = 'manual' | 'automatic';

export interface PruneTargetResult {
  target: RetentionPolicyName;
  policy: RetentionPolicy;
  status: 'pruned' | 'dry_run' | 'disabled' | 'unavailable' | 'failed';
  matched: number;
  deleted: number;
  detail: string;
}

export interface PruneReport {
  dry_run: boolean;
  deleted: number;
  results: PruneTargetResult[];
  duration_ms: number;
}

export interface PruneRequest {
  dryRun: boolean;
  trigger: PruneTrigger;
  signal: AbortSignal;
  /** Only these policies (default: all). */
  targets?: readonly RetentionPolicyName[] | undefined;
}

const KEPT_RUNS = 200;

export function policiesOf(core: Core): Record<RetentionPolicyName, RetentionPolicy> {
  const retention = core.config().config.retention;
  return Object.fromEntries(RETENTION_POLICY_NAMES.map(name => [name, retention[name]])) as Record<
    RetentionPolicyName,
    RetentionPolicy
  >;
}

function isLimited(policy: RetentionPolicy): boolean {
  return policy.max_age_days !== null || policy.max_count !== null;
}

export async function runPrune(core: Core, request: PruneRequest): Promise<PruneReport> {
  const started = Date.now();
  const policies = policiesOf(core);
  const results: PruneTargetResult[] = [];
  for (const name of request.targets ?? RETENTION_POLICY_NAMES) {
    const policy = policies[name];
    const base = { target: name, policy, matched: 0, deleted: 0 };
    if (!isLimited(policy)) {
      results.push({
        ...base,
        status: 'disabled',
        detail: `no limit set (retention.${name}.max_age_days / max_count)`,
      });
      continue;
    }
    const target = core.retentionTargets.get(name);
    if (!target) {
      results.push({
        ...base,
        status: 'unavailable',
        detail: `a policy is set, but nothing in this server stores ${name.replace('_', ' ')} to prune`,
      });
      continue;
    }
    try {
      const outcome = await target.prune(policy, {
        now: Date.now(),
        dryRun: request.dryRun,
        signal: request.signal,
      });
      results.push({ ...base, ...outcome, status: request.dryRun ? 'dry_run' : 'pruned' });
    } catch (error) {
      if (!isAppError(error)) console.error(`retention: pruning ${name} failed:`, error);
      results.push({
        ...base,
        status: 'failed',
        detail: isAppError(error) ? error.message : `unexpected error (see the server log): ${String(error)}`,
      });
    }
  }
  const deleted = results.reduce((sum, result) => sum + result.deleted, 0);
  const report: PruneReport = {
    dry_run: request.dryRun,
    deleted,
    results,
    duration_ms: Date.now() - started,
  };
  if (!request.dryRun && results.some(result => result.status !== 'disabled')) {
    recordRun(core, request.trigger, started, report);
  }
  return report;
}

function recordRun(core: Core, trigger: PruneTrigger, started: number, report: PruneReport): void {
  try {
    writeTransaction(core.db, () => {
      core.db
        .prepare(
          'INSERT INTO prune_runs (trigger, started_at, finished_at, deleted, results) VALUES (?, ?, ?, ?, ?)',
        )
        .run(trigger, started, Date.now(), report.deleted, JSON.stringify(report.results));
      core.db
        .prepare('DELETE FROM prune_runs WHERE seq <= (SELECT max(seq) FROM prune_runs) - ?')
        .run(KEPT_RUNS);
    });
  } catch (error) {
    // The prune itself succeeded; a full disk must not turn it into a failure.
    console.error(
      'retention: could not record the prune run:',
      error instanceof Error ? error.message : error,
    );
  }
}

export interface LastPrune {
  trigger: PruneTrigger;
  finished_at: string;
  deleted: number;
}

export function lastPrune(core: Core): LastPrune | undefined {
  const row = core.db
    .prepare('SELECT trigger, finished_at, deleted FROM prune_runs ORDER BY seq DESC LIMIT 1')
    .get() as { trigger: PruneTrigger; finished_at: number; deleted: number } | undefined;
  return (
    row && {
      trigger: row.trigger,
      finished_at: new Date(row.finished_at).toISOString(),
      deleted: row.deleted,
    }
  );
}
