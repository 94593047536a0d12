/**
 * The open task's event log: the latest events from the azos://tasks/{id}/events resource when the view opens
 * (a long log is not read from the start), then only the new ones through get_task_log.
 */
import type { DashboardClient } from './connection.js';
import { taskEventsUri } from '../../protocol/resources.js';
import { TaskEventSchema, type TaskEvent } from '../../protocol/task.js';
import { getTaskLogTool } from '../../protocol/tools/task-tools.js';

/** Events kept for the open task (older ones are dropped from the view, never from the server). */
export const MAX_EVENTS = 2000;

export interface EventWindow {
  events: readonly TaskEvent[];
  eventsTruncated: boolean;
}

async function readTail(client: DashboardClient, taskId: string): Promise<EventWindow> {
  const result = await client.readResource(taskEventsUri(taskId));
  const block = result.contents[0];
  const text = block && 'text' in block ? block.text : '{}';
  const raw = (JSON.parse(text) as { events?: unknown[] }).events ?? [];
  const events = raw.flatMap(item => {
    const parsed = TaskEventSchema().safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
  // Every log starts with the creation event (nothing → INITIALIZED); without it, older events exist.
  const first = events[0];
  const complete = first === undefined || (first.from_status === null && first.to_status === 'INITIALIZED');
  return { events, eventsTruncated: !complete };
}

/** Reads what is new since `held` (or the tail when nothing is held yet). */
export async function readEvents(
  client: DashboardClient,
  taskId: string,
  window: EventWindow,
): Promise<EventWindow> {
  const held = window.events;
  if (held.length === 0) return readTail(client, taskId);
  let after = held.at(-1)?.seq ?? 0;
  const fresh: TaskEvent[] = [];
  for (let page = 0; page < 10; page += 1) {
    const result = await client.call(getTaskLogTool, { task_id: taskId, after_seq: after, limit: 500 });
    fresh.push(...result.events);
    after = result.events.at(-1)?.seq ?? after;
    if (result.next_after_seq === null) break;
  }
  // A copy, never `window` itself: the caller may pass a larger object (the detail state) as the window.
  if (fresh.length === 0) return { events: held, eventsTruncated: window.eventsTruncated };
  const all = [...held, ...fresh];
  const dropped = all.length > MAX_EVENTS;
  return {
    events: dropped ? all.slice(-MAX_EVENTS) : all,
    eventsTruncated: window.eventsTruncated || dropped,
  };
}
