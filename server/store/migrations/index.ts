/**
 * Every schema migration, in order. Version blocks by area keep parallel work from colliding:
 * 1-9 tasks, 10-19 agent and cost, 20-29 tools, tokens and audit, 30-39 memory and checkpoints,
 * 40-49 data protection.
 */
import type { Db } from '../database.js';
import { tasksMigration } from './0001-tasks.js';
import { agentJournalMigration } from './0010-agent-journal.js';
import { costLedgerMigration } from './0011-cost-ledger.js';
import { apiTokensMigration } from './0020-api-tokens.js';
import { auditLogMigration } from './0021-audit-log.js';
import { dataProtectionMigration } from './0040-data-protection.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [
  tasksMigration,
  agentJournalMigration,
  costLedgerMigration,
  apiTokensMigration,
  auditLogMigration,
  dataProtectionMigration,
];
