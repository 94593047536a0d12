import { migrateDatabaseTool } from '../../../protocol/tools/system-tools.js';
import { migrate, pendingMigrations, schemaVersion } from '../../store/migrate.js';
import { implementTool } from '../tool-definition.js';

export const migrateDatabase = implementTool(migrateDatabaseTool, (args, { core }) => {
  const dryRun = args.dry_run ?? false;
  const applied = dryRun ? pendingMigrations(core.db) : migrate(core.db);
  return {
    applied: applied.map(({ version, name }) => ({ version, name })),
    schema_version: schemaVersion(core.db),
    dry_run: dryRun,
  };
});
