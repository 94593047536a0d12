/**
 * The AZ-OS resources and their live updates. Each resource mirrors a read tool (Agent Zero only uses tools),
 * and changes reach clients as notifications/resources/updated: through resources/subscribe on 2025-era
 * connections, and through subscriptions/listen streams on 2026-07-28 ones.
 */
import { ResourceTemplate, type McpServer, type ReadResourceResult } from '@modelcontextprotocol/server';
import { AppError } from '../../protocol/errors.js';
import { RESOURCE_TEMPLATES, RESOURCE_URIS } from '../../protocol/resources.js';
import { IdSchema } from '../../protocol/text-rules.js';
import type { Core } from '../core.js';
import { collectStatus } from '../status.js';
import type { Principal } from './principal.js';

const EVENTS_IN_RESOURCE = 500;

function json(uri: string, value: unknown): ReadResourceResult {
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value) }] };
}

function taskIdFrom(variables: Record<string, string | string[]>): string {
  const raw = variables.id;
  const parsed = IdSchema().safeParse(Array.isArray(raw) ? raw[0] : raw);
  if (!parsed.success) throw new AppError('INVALID_INPUT', 'the resource URI does not hold a valid task id');
  return parsed.data;
}

export function registerResources(server: McpServer, core: Core, principal: Principal): void {
  server.registerResource(
    'status',
    RESOURCE_URIS.status,
    {
      title: 'AZ-OS status',
      description: 'Server, database, task counts and subsystem health',
      mimeType: 'application/json',
    },
    async uri => json(uri.href, await collectStatus(core, principal)),
  );
  server.registerResource(
    'tasks',
    RESOURCE_URIS.tasks,
    { title: 'Tasks', description: 'The 100 most recent tasks, newest first', mimeType: 'application/json' },
    uri => {
      const page = core.taskStore.list({ limit: 100 });
      return json(uri.href, { tasks: page.tasks, next_cursor: page.nextCursor });
    },
  );
  server.registerResource(
    'task',
    new ResourceTemplate(RESOURCE_TEMPLATES.task, { list: undefined }),
    {
      title: 'Task',
      description: 'One task with its status, result and error',
      mimeType: 'application/json',
    },
    (uri, variables) => json(uri.href, { task: core.taskStore.get(taskIdFrom(variables)) }),
  );
  server.registerResource(
    'task-events',
    new ResourceTemplate(RESOURCE_TEMPLATES.taskEvents, { list: undefined }),
    {
      title: 'Task events',
      description: `A task's event log (the latest ${EVENTS_IN_RESOURCE} events; get_task_log pages through all)`,
      mimeType: 'application/json',
    },
    (uri, variables) => {
      const id = taskIdFrom(variables);
      const newest = core.db
        .prepare('SELECT coalesce(max(seq), 0) AS seq FROM task_events WHERE task_id = ?')
        .get(id) as { seq: number };
      const start = Math.max(0, newest.seq - EVENTS_IN_RESOURCE * 4);
      const page = core.taskStore.events(id, start, EVENTS_IN_RESOURCE * 4);
      return json(uri.href, { events: page.events.slice(-EVENTS_IN_RESOURCE) });
    },
  );
}

export type LiveUpdates = 'none' | 'subscribed' | 'all';

/**
 * Forwards feed changes to this connection. `subscribed`: only URIs the client subscribed to with
 * resources/subscribe (2025 era). `all`: every change, for transports whose listen router filters (stdio on
 * the 2026-07-28 era). Returns the detach function.
 */
export function attachLiveUpdates(server: McpServer, core: Core, mode: LiveUpdates): () => void {
  if (mode === 'none') return () => undefined;
  const subscribed = new Set<string>();
  server.server.setRequestHandler('resources/subscribe', request => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', request => {
    subscribed.delete(request.params.uri);
    return {};
  });
  const detach = core.feed.subscribe(uri => {
    if (mode === 'subscribed' && !subscribed.has(uri)) return;
    if (!server.isConnected()) return;
    server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  });
  return detach;
}
