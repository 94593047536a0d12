/** Every tool the AZ-OS server implements, in the order tools/list shows them. */
import type { ToolDefinition } from '../tool-definition.js';
import { cancelTask } from './cancel-task.js';
import { createTask } from './create-task.js';
import { getConfig } from './get-config.js';
import { getDatabaseStatus } from './get-database-status.js';
import { getStatus } from './get-status.js';
import { getTaskLog } from './get-task-log.js';
import { getTask } from './get-task.js';
import { listTasks } from './list-tasks.js';
import { migrateDatabase } from './migrate-database.js';
import { retryTask } from './retry-task.js';
import { setConfig } from './set-config.js';
import { unsetConfig } from './unset-config.js';
import { waitTask } from './wait-task.js';

export const SYSTEM_TOOLS: readonly ToolDefinition[] = [
  createTask,
  listTasks,
  getTask,
  getTaskLog,
  waitTask,
  cancelTask,
  retryTask,
  getStatus,
  getConfig,
  setConfig,
  unsetConfig,
  getDatabaseStatus,
  migrateDatabase,
] as unknown as readonly ToolDefinition[];
