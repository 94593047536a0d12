/**
 * The core: the stores and services one AZ-OS home needs, built once per process and shared by every MCP
 * server instance (one per HTTP request, per stdio connection, or per in-process client). Nothing here knows
 * about MCP; the MCP layer only reads from and calls into it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ComponentStatus } from '../protocol/tools/system-tools.js';
import { taskEventsUri, taskUri, RESOURCE_URIS } from '../protocol/resources.js';
import { readConfigText } from './config/config-file.js';
import { createConfigService, type ConfigService } from './config/config-service.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { createChangeFeed, type ChangeFeed } from './events/change-feed.js';
import { initHomeFiles, type InitReport } from './home-init.js';
import type { HomePaths } from './home.js';
import { openHomeDatabase, type EncryptionState } from './data-protection/encryption/home-database.js';
import type { RetentionTarget } from './data-protection/retention/retention-target.js';
import type { DatabaseKey, Db } from './store/database.js';
import { migrate } from './store/migrate.js';
import { createTaskService, type TaskService } from './tasks/task-service.js';
import type { TaskLifecycleHooks } from './tasks/task-hooks.js';
import { createTaskStore, type TaskStore } from './tasks/task-store.js';
import { VERSION } from '../protocol/version.js';

export type ServerMode = 'daemon' | 'in-process' | 'stdio';

export interface CoreOptions {
  paths: HomePaths;
  env: Record<string, string | undefined>;
  mode: ServerMode;
  now?: () => number;
}

export type StatusProvider = () => ComponentStatus | Promise<ComponentStatus>;

export interface Core {
  readonly paths: HomePaths;
  /** The environment the runtime was started with (API keys, AZ_* overrides); never process.env directly. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly mode: ServerMode;
  readonly version: string;
  readonly startedAt: number;
  readonly db: Db;
  /** Whether the database is encrypted, and where its key came from (never the key). */
  readonly encryption: EncryptionState;
  /** The database key, for second connections to the same file (backup snapshots); undefined when plain. */
  databaseKey(): DatabaseKey | undefined;
  readonly feed: ChangeFeed;
  readonly taskStore: TaskStore;
  readonly tasks: TaskService;
  readonly configService: ConfigService;
  readonly initReport: InitReport;
  /** The current configuration (reloaded after set_config / unset_config). */
  config(): LoadedConfig;
  /** Health of subsystems (llm, memory, sandbox…) for get_status. */
  readonly statusProviders: Map<string, StatusProvider>;
  /** Subsystems that take part in running tasks (memory, checkpoints); called by the executor. */
  readonly taskHooks: TaskLifecycleHooks[];
  /** What `az db prune` and the daemon's automatic prune can delete, by policy name (task_events, audit…). */
  readonly retentionTargets: Map<string, RetentionTarget>;
  /** Admin token from the token file (compared in constant time by the HTTP layer). */
  adminToken(): string;
  onClose(hook: () => void | Promise<void>): void;
  close(): Promise<void>;
}

export function readAdminToken(paths: HomePaths): string {
  return readFileSync(paths.tokenFile, 'utf8').trim();
}

export function createCore(options: CoreOptions): Core {
  const { paths, env, mode } = options;
  const now = options.now ?? Date.now;
  const initReport = initHomeFiles(paths);
  const load = (): LoadedConfig =>
    loadConfig({ fileText: readConfigText(paths.configFile), filePath: paths.configFile, env });
  let loaded = load();
  // The one place a core opens its database: the key (if any) comes from the environment or the key file.
  const { db, encryption, key: databaseKey } = openHomeDatabase(paths, env);
  const closeHooks: (() => void | Promise<void>)[] = [];
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const feed = createChangeFeed();
  const taskStore = createTaskStore({
    db,
    now,
    onChange: ({ taskId, kind }) => {
      if (kind !== 'event') feed.publish(taskUri(taskId));
      feed.publish(taskEventsUri(taskId));
      feed.publishAggregate(RESOURCE_URIS.tasks);
      if (kind !== 'event') feed.publishAggregate(RESOURCE_URIS.status);
    },
  });
  const tasks = createTaskService({ store: taskStore, feed, config: () => loaded.config, paths, now });
  /** After set_config / unset_config. */
  const reloadConfig = (): LoadedConfig => {
    loaded = load();
    // Queue settings (tasks.paused, tasks.concurrency) take effect now, not at the queue's next poll.
    tasks.wake();
    return loaded;
  };
  let token: string | undefined;
  const core: Core = {
    paths,
    env,
    mode,
    version: VERSION,
    startedAt: now(),
    db,
    encryption,
    databaseKey: () => databaseKey,
    feed,
    taskStore,
    tasks,
    configService: createConfigService({
      configFile: paths.configFile,
      current: () => loaded,
      reload: reloadConfig,
    }),
    initReport,
    config: () => loaded,
    statusProviders: new Map(),
    taskHooks: [],
    retentionTargets: new Map(),
    adminToken() {
      token ??= readAdminToken(paths);
      return token;
    },
    onClose(hook) {
      closeHooks.push(hook);
    },
    async close() {
      for (const hook of closeHooks.reverse()) {
        try {
          await hook();
        } catch (error) {
          console.error('shutdown hook failed:', error);
        }
      }
      feed.close();
      if (db.open) db.close();
    },
  };
  return core;
}

export function databaseSize(path: string): number {
  let size = 0;
  for (const file of [path, `${path}-wal`]) {
    if (existsSync(file)) size += statSync(file).size;
  }
  return size;
}
