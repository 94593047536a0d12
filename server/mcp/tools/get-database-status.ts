import { statSync } from 'node:fs';
import { getDatabaseStatusTool } from '../../../protocol/tools/system-tools.js';
import { databaseSize } from '../../core.js';
import { appliedMigrations, latestVersion, pendingMigrations, schemaVersion } from '../../store/migrate.js';
import { implementTool } from '../tool-definition.js';

export const getDatabaseStatus = implementTool(getDatabaseStatusTool, (_args, { core }) => {
  const { db, paths } = core;
  const quickCheck = db.pragma('quick_check', { simple: true }) as string;
  const mode = statSync(paths.tokenFile).mode & 0o777;
  return {
    home: paths.home,
    profile: paths.profile,
    path: paths.database,
    size_bytes: databaseSize(paths.database),
    journal_mode: String(db.pragma('journal_mode', { simple: true })),
    schema_version: schemaVersion(db),
    latest_version: latestVersion(),
    pending: pendingMigrations(db).map(({ version, name }) => ({ version, name })),
    applied: appliedMigrations(db),
    integrity: quickCheck,
    token_file: { path: paths.tokenFile, mode: mode.toString(8).padStart(4, '0'), ok: (mode & 0o077) === 0 },
    encryption: {
      encrypted: core.encryption.encrypted,
      cipher: core.encryption.cipher,
      key_source: core.encryption.keySource,
    },
  };
});
