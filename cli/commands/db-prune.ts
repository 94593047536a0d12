import { pruneDataTool, RETENTION_TARGET_NAMES } from '../../protocol/tools/data-tools.js';
import { AppError } from '../../protocol/errors.js';
import type { Command } from '../command.js';
import { table } from '../output.js';

type Target = (typeof RETENTION_TARGET_NAMES)[number];

function limits(policy: { max_age_days: number | null; max_count: number | null }): string {
  const parts: string[] = [];
  if (policy.max_age_days !== null) parts.push(`${policy.max_age_days}d`);
  if (policy.max_count !== null) parts.push(`${policy.max_count} newest`);
  return parts.join(', ') || '-';
}

const command: Command = {
  usage: 'az db prune [--dry-run] [--target NAME]... [--json]',
  summary: 'Delete data beyond the retention policies (retention.* in config)',
  flags: {
    dryRun: { type: 'boolean', description: 'Show what would be deleted; delete nothing' },
    target: {
      type: 'string',
      isMultiple: true,
      description: `Only this policy (${RETENTION_TARGET_NAMES.join(', ')})`,
    },
  },
  args: 0,
  details:
    'Set limits first, e.g. `az config set retention.task_events.max_age_days 30`. Live tasks are never touched.\n' +
    'The server also prunes by itself (retention.auto_prune, every retention.prune_interval_minutes).',
  async run({ connect, out, globals, flags }) {
    const targets = (flags.target as string[] | undefined) ?? [];
    const unknown = targets.filter(name => !(RETENTION_TARGET_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new AppError(
        'INVALID_INPUT',
        `unknown retention target ${unknown.map(name => `'${name}'`).join(', ')}`,
        {
          hint: `Choose from ${RETENTION_TARGET_NAMES.join(', ')}.`,
        },
      );
    }
    const client = await connect();
    const result = await client.call(pruneDataTool, {
      dry_run: flags.dryRun === true,
      ...(targets.length > 0 ? { targets: targets as Target[] } : {}),
    });
    if (globals.json) {
      out.json(result);
      return;
    }
    out.print(
      table(
        result.results,
        [
          { header: 'TARGET', value: row => row.target },
          { header: 'LIMIT', value: row => limits(row.policy) },
          { header: 'STATUS', value: row => row.status.replace('_', ' ') },
          {
            header: result.dry_run ? 'WOULD DELETE' : 'DELETED',
            value: row => String(result.dry_run ? row.matched : row.deleted),
            align: 'right',
          },
          { header: 'DETAIL', value: row => row.detail, flexible: true },
        ],
        out.width,
      ),
    );
    if (result.results.every(row => row.status === 'disabled')) {
      out.note('No retention limits are set; see `az config list retention`.');
    }
  },
};
export default command;
