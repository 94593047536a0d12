/**
 * Retention as pluggable targets: each subsystem registers what it can prune on `core.retentionTargets`
 * under the name of its policy in config (`retention.<name>`), and `az db prune` / the daemon's automatic
 * prune run every target whose policy sets a limit. A target owns its own rules for what may never be deleted
 * (a running task's events, the audit chain's integrity); the runner only hands it the policy and the clock.
 *
 * To add a target (step journals, tool outputs, memories…) a service does
 *   core.retentionTargets.set('step_journals', { name: 'step_journals', description, prune })
 * and deletes in small batches through `pruneInBatches` so the daemon keeps serving meanwhile.
 */
import { RETENTION_TARGET_NAMES } from '../../../protocol/tools/data-tools.js';

/** The policies config knows; a target registers under one of these names. */
export const RETENTION_POLICY_NAMES = RETENTION_TARGET_NAMES;
export type RetentionPolicyName = (typeof RETENTION_POLICY_NAMES)[number];

/** Keep rows younger than max_age_days and at most the newest max_count; null means no limit. */
export interface RetentionPolicy {
  max_age_days: number | null;
  max_count: number | null;
}

export interface PruneContext {
  now: number;
  /** Count what would be deleted, delete nothing. */
  dryRun: boolean;
  signal: AbortSignal;
}

export interface PruneOutcome {
  /** Rows the policy selects (deleted unless dry run). */
  matched: number;
  deleted: number;
  /** One line for people: what was (or would be) deleted, what was kept and why. */
  detail: string;
}

export interface RetentionTarget {
  name: RetentionPolicyName;
  /** What the policy bounds, for `az db prune` output and status. */
  description: string;
  prune(policy: RetentionPolicy, context: PruneContext): Promise<PruneOutcome>;
}

export const DAY_MS = 86_400_000;

/** The moment before which rows are too old, or undefined when the policy sets no age. */
export function ageCutoff(policy: RetentionPolicy, now: number): number | undefined {
  return policy.max_age_days === null ? undefined : now - policy.max_age_days * DAY_MS;
}

/** A bound that matches no row (sequence numbers and timestamps are positive). */
const NO_BOUND = -1;

/**
 * The SQL parameters of a policy over rows ordered by a sequence: `cutoff` (rows older than it go) and
 * `beyond` (rows at or below the sequence of the (max_count+1)-th newest go); NO_BOUND where the policy sets
 * no such limit. `nthNewest(offset)` reads the sequence at that offset from the newest row.
 */
export function policyBounds(
  policy: RetentionPolicy,
  now: number,
  nthNewest: (offset: number) => unknown,
): { cutoff: number; beyond: number } {
  return {
    cutoff: ageCutoff(policy, now) ?? NO_BOUND,
    beyond:
      policy.max_count === null
        ? NO_BOUND
        : ((nthNewest(policy.max_count) as number | undefined) ?? NO_BOUND),
  };
}

/** "what older than N days or beyond the newest M", for prune reports. */
export function describePolicy(policy: RetentionPolicy, what: string): string {
  const parts: string[] = [];
  if (policy.max_age_days !== null) parts.push(`older than ${policy.max_age_days} days`);
  if (policy.max_count !== null) parts.push(`beyond the newest ${policy.max_count}`);
  return `${what} ${parts.join(' or ')}`;
}
