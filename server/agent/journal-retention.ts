/**
 * Retention of the agent journal (table agent_journal): the `step_journals` and `tool_outputs` policies of
 * data protection (`retention.<name>` in config, run by `az db prune` and the daemon's automatic prune).
 *
 * - step_journals: journal rows (model calls, tool calls, context) are deleted.
 * - tool_outputs: what tool calls returned — the text the model saw, up to the shell's and file tools' output
 *   caps, by far the bulkiest part of a journal — is replaced by a short note (`pruned: {at, bytes}`), while
 *   the row (which tool, when, how it ended) stays until step_journals removes it. Tool arguments are part of
 *   the step, not an output: they go with the row.
 *
 * Never pruned: the journal a task may still continue from. `az task resume` replays the current generation
 * of a FAILED task, and live tasks (queued, running, retrying) replay theirs after a crash; so only tasks that
 * can never run again (COMPLETED, CANCELLED, FINALIZED) lose their journal, plus generations a manual retry
 * has superseded (resume reads only the newest). Cost ledger rows are separate and are never touched.
 */
import type { Core } from '../core.js';
import { pruneByPolicy } from '../data-protection/retention/batches.js';
import { describePolicy, type RetentionTarget } from '../data-protection/retention/retention-target.js';

/** Journal rows no run will ever replay. */
const NOT_REPLAYABLE = `(
  task_id IN (SELECT id FROM tasks WHERE status IN ('COMPLETED', 'CANCELLED', 'FINALIZED'))
  OR generation < (SELECT max(newer.generation) FROM agent_journal newer WHERE newer.task_id = agent_journal.task_id)
)`;

export function stepJournalsTarget(core: Core): RetentionTarget {
  const { db } = core;
  const nthNewest = db.prepare('SELECT seq FROM agent_journal ORDER BY seq DESC LIMIT 1 OFFSET ?').pluck();
  const where = `${NOT_REPLAYABLE} AND (coalesce(finished_at, started_at) < @cutoff OR seq <= @beyond)`;
  const count = db.prepare(`SELECT count(*) FROM agent_journal WHERE ${where}`).pluck();
  const select = db.prepare(`SELECT seq FROM agent_journal WHERE ${where} ORDER BY seq LIMIT @limit`).pluck();
  const remove = db.prepare('DELETE FROM agent_journal WHERE seq = ?');
  return {
    name: 'step_journals',
    description:
      'agent step journals (model and tool calls) of tasks that can never run again; a journal a task may resume from is kept',
    async prune(policy, context) {
      const [matched, deleted] = await pruneByPolicy<number>(
        db,
        {
          nthNewest,
          count,
          select,
          remove: seqs => {
            for (const seq of seqs) remove.run(seq);
          },
        },
        policy,
        context,
      );
      return { matched, deleted, detail: describePolicy(policy, 'journal entries of settled tasks') };
    },
  };
}

export function toolOutputsTarget(core: Core): RetentionTarget {
  const { db } = core;
  const stored = "kind = 'tool' AND outcome IS NOT NULL";
  const nthNewest = db
    .prepare(`SELECT seq FROM agent_journal WHERE ${stored} ORDER BY seq DESC LIMIT 1 OFFSET ?`)
    .pluck();
  const where = `${stored} AND json_extract(outcome, '$.pruned') IS NULL AND ${NOT_REPLAYABLE}
    AND (coalesce(finished_at, started_at) < @cutoff OR seq <= @beyond)`;
  const count = db.prepare(`SELECT count(*) FROM agent_journal WHERE ${where}`).pluck();
  const select = db.prepare(`SELECT seq FROM agent_journal WHERE ${where} ORDER BY seq LIMIT @limit`).pluck();
  // The outcome keeps its shape ({text, is_error}) so every reader of the journal still understands it.
  const clear = db.prepare(`UPDATE agent_journal SET outcome = json_object(
      'text', '[output removed by retention (retention.tool_outputs); it was '
        || length(CAST(json_extract(outcome, '$.text') AS BLOB)) || ' bytes]',
      'is_error', json(CASE WHEN json_extract(outcome, '$.is_error') THEN 'true' ELSE 'false' END),
      'pruned', json_object('at', @now, 'bytes', length(CAST(json_extract(outcome, '$.text') AS BLOB))))
    WHERE seq = @seq`);
  return {
    name: 'tool_outputs',
    description:
      'what tool calls returned, kept in the journal of tasks that can never run again (the call itself stays)',
    async prune(policy, context) {
      const [matched, deleted] = await pruneByPolicy<number>(
        db,
        {
          nthNewest,
          count,
          select,
          remove: seqs => {
            for (const seq of seqs) clear.run({ seq, now: context.now });
          },
        },
        policy,
        context,
      );
      return { matched, deleted, detail: describePolicy(policy, 'tool outputs of settled tasks') };
    },
  };
}
