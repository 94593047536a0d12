/** Building get_status / azos://status: the server, its database, task counts, and each subsystem's health. */
import type { ComponentStatus, Status } from '../protocol/tools/system-tools.js';
import { databaseSize, type Core } from './core.js';
import type { Principal } from './mcp/principal.js';
import { schemaVersion } from './store/migrate.js';

const PROVIDER_TIMEOUT_MS = 2000;

async function runProvider(
  name: string,
  provider: () => ComponentStatus | Promise<ComponentStatus>,
): Promise<ComponentStatus> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(provider),
      new Promise<ComponentStatus>(resolve => {
        timer = setTimeout(
          () =>
            resolve({
              status: 'degraded',
              detail: `${name} did not answer within ${PROVIDER_TIMEOUT_MS} ms`,
            }),
          PROVIDER_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    return { status: 'unavailable', detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export async function collectStatus(core: Core, principal: Principal): Promise<Status> {
  const byStatus = core.taskStore.countsByStatus();
  const components: Record<string, ComponentStatus> = {};
  const entries = [...core.statusProviders.entries()];
  const results = await Promise.all(entries.map(([name, provider]) => runProvider(name, provider)));
  entries.forEach(([name], index) => {
    components[name] = results[index] as ComponentStatus;
  });
  return {
    version: core.version,
    pid: process.pid,
    uptime_seconds: Math.round((Date.now() - core.startedAt) / 100) / 10,
    home: core.paths.home,
    profile: core.paths.profile,
    mode: core.mode,
    database: {
      path: core.paths.database,
      schema_version: schemaVersion(core.db),
      size_bytes: databaseSize(core.paths.database),
    },
    tasks: {
      total: Object.values(byStatus).reduce((sum, count) => sum + (count ?? 0), 0),
      by_status: byStatus,
    },
    components,
    caller: { name: principal.name, role: principal.role },
  };
}
