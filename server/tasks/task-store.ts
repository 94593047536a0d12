/**
 * The task store: tasks and their event log in SQLite. Every status change goes through `transition`, which
 * checks the state machine and writes the new status and its event row in one IMMEDIATE transaction; change
 * listeners hear about it only after the commit.
 */
import { randomUUID } from 'node:crypto';
import { AppError, type ErrorPayload } from '../../protocol/errors.js';
import type { Task, TaskEvent, TaskStatus, TaskSummary } from '../../protocol/task.js';
import { writeTransaction, type Db } from '../store/database.js';
import { assertTransition } from './state-machine.js';
import { toTask, toTaskEvent, toTaskSummary, type TaskEventRow, type TaskRow } from './task-rows.js';

export interface NewTask {
  id?: string;
  title: string;
  prompt: string;
  workspace: string;
  priority: number;
  model: string | null;
  budgetMicroUsd: number | null;
  maxAttempts: number;
  start: boolean;
  createdBy: string | null;
}

/** Columns a transition may set besides status. */
export interface TaskPatch {
  attempts?: number;
  steps?: number;
  cost_micro_usd?: number;
  error?: ErrorPayload | null;
  result?: string | null;
  started_at?: number | null;
  finished_at?: number | null;
  not_before?: number | null;
  lease_owner?: string | null;
  lease_expires_at?: number | null;
}

export interface TransitionOptions {
  patch?: TaskPatch;
  /** Extra data recorded on the status event (reason, attempt…). */
  data?: Record<string, unknown>;
  /** Refuse unless the task is currently in one of these statuses (optimistic check for workers). */
  expect?: readonly TaskStatus[];
}

export interface ListFilter {
  status?: readonly TaskStatus[];
  search?: string;
  limit: number;
  cursor?: string;
}

export type TaskChangeListener = (change: {
  taskId: string;
  status: TaskStatus;
  kind: 'created' | 'status' | 'event';
}) => void;

export interface TaskStoreDeps {
  db: Db;
  now?: () => number;
  onChange?: TaskChangeListener;
}

const CURSOR = /^t([0-9]{1,15})$/;

function encodeCursor(seq: number): string {
  return `t${seq}`;
}

function decodeCursor(cursor: string): number {
  const match = CURSOR.exec(cursor);
  if (!match) {
    throw new AppError('INVALID_INPUT', `cursor '${cursor.slice(0, 40)}' is not one this server issued`, {
      hint: 'Pass next_cursor from the previous list_tasks result unchanged, or omit it to start over.',
    });
  }
  return Number(match[1]);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, match => `\\${match}`);
}

export type TaskStore = ReturnType<typeof createTaskStore>;

export function createTaskStore({ db, now = Date.now, onChange }: TaskStoreDeps) {
  const insertTask = db.prepare(`INSERT INTO tasks
    (id, title, prompt, workspace, status, priority, model, budget_micro_usd, max_attempts, created_by, created_at, updated_at)
    VALUES (@id, @title, @prompt, @workspace, 'INITIALIZED', @priority, @model, @budget, @maxAttempts, @createdBy, @now, @now)`);
  const selectRow = db.prepare('SELECT * FROM tasks WHERE id = ?');
  const insertEvent =
    db.prepare(`INSERT INTO task_events (task_id, type, from_status, to_status, data, created_at)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const selectEvents = db.prepare(
    'SELECT * FROM task_events WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const countByStatus = db.prepare('SELECT status, count(*) AS n FROM tasks GROUP BY status');
  /** Transition updates by their column list: a handful of shapes, prepared once each. */
  const updates = new Map<string, ReturnType<Db['prepare']>>();

  const notify = (taskId: string, status: TaskStatus, kind: 'created' | 'status' | 'event'): void => {
    try {
      onChange?.({ taskId, status, kind });
    } catch (error) {
      console.error('task change listener failed:', error);
    }
  };

  function getRow(id: string): TaskRow {
    const row = selectRow.get(id) as TaskRow | undefined;
    if (!row) {
      throw new AppError('NOT_FOUND', `no task with id ${id}`, {
        hint: 'List tasks with `az task list` (or the list_tasks tool) to find the id.',
        details: { task_id: id },
      });
    }
    return row;
  }

  function writeTransition(row: TaskRow, to: TaskStatus, options: TransitionOptions): TaskRow {
    if (options.expect && !options.expect.includes(row.status)) {
      throw new AppError(
        'ILLEGAL_TRANSITION',
        `task ${row.id} is ${row.status}, expected ${options.expect.join(' or ')}`,
        { details: { task_id: row.id, status: row.status } },
      );
    }
    assertTransition(row.id, row.status, to);
    const patch = options.patch ?? {};
    const assignments: string[] = ['status = @status', 'updated_at = @now'];
    const values: Record<string, unknown> = { id: row.id, status: to, now: now() };
    for (const [column, value] of Object.entries(patch)) {
      if (column === 'error') {
        const error = value as ErrorPayload | null;
        assignments.push(
          'error_code = @error_code',
          'error_message = @error_message',
          'error_hint = @error_hint',
        );
        values.error_code = error?.code ?? null;
        values.error_message = error?.message ?? null;
        values.error_hint = error?.hint ?? null;
      } else {
        assignments.push(`${column} = @${column}`);
        values[column] = value;
      }
    }
    const sql = `UPDATE tasks SET ${assignments.join(', ')} WHERE id = @id`;
    let update = updates.get(sql);
    if (!update) {
      update = db.prepare(sql);
      updates.set(sql, update);
    }
    update.run(values);
    const data = options.data ?? (patch.error ? { error: patch.error } : undefined);
    insertEvent.run(
      row.id,
      'status',
      row.status,
      to,
      data === undefined ? null : JSON.stringify(data),
      values.now,
    );
    return getRow(row.id);
  }

  return {
    create(input: NewTask): Task {
      const id = input.id ?? randomUUID();
      const row = writeTransaction(db, () => {
        insertTask.run({
          id,
          title: input.title,
          prompt: input.prompt,
          workspace: input.workspace,
          priority: input.priority,
          model: input.model,
          budget: input.budgetMicroUsd,
          maxAttempts: input.maxAttempts,
          createdBy: input.createdBy,
          now: now(),
        });
        insertEvent.run(
          id,
          'status',
          null,
          'INITIALIZED',
          JSON.stringify({ created_by: input.createdBy }),
          now(),
        );
        const created = getRow(id);
        return input.start ? writeTransition(created, 'PENDING', {}) : created;
      });
      notify(id, row.status, 'created');
      return toTask(row);
    },

    get(id: string): Task {
      return toTask(getRow(id));
    },

    getRow,

    /** Applies one or more transitions atomically (e.g. FAILED then RETRYING), then notifies once. */
    transition(id: string, to: TaskStatus | readonly TaskStatus[], options: TransitionOptions = {}): TaskRow {
      const steps = typeof to === 'string' ? [to] : to;
      const row = writeTransaction(db, () => {
        let current = getRow(id);
        steps.forEach((status, index) => {
          current = writeTransition(current, status, index === 0 ? options : { data: options.data });
        });
        return current;
      });
      notify(id, row.status, 'status');
      return row;
    },

    /** Records a non-status event (agent step, tool call, log line). */
    appendEvent(id: string, type: string, data: Record<string, unknown>): TaskEvent {
      const row = writeTransaction(db, () => {
        const task = getRow(id);
        const info = insertEvent.run(id, type, null, null, JSON.stringify(data), now());
        db.prepare('UPDATE tasks SET updated_at = ? WHERE id = ?').run(now(), id);
        return { task, seq: Number(info.lastInsertRowid) };
      });
      notify(id, row.task.status, 'event');
      return toTaskEvent(db.prepare('SELECT * FROM task_events WHERE seq = ?').get(row.seq) as TaskEventRow);
    },

    events(
      id: string,
      afterSeq: number,
      limit: number,
    ): { events: TaskEvent[]; nextAfterSeq: number | null } {
      getRow(id);
      const rows = selectEvents.all(id, afterSeq, limit + 1) as TaskEventRow[];
      const page = rows.slice(0, limit);
      return {
        events: page.map(toTaskEvent),
        nextAfterSeq: rows.length > limit ? (page.at(-1)?.seq ?? null) : null,
      };
    },

    list(filter: ListFilter): { tasks: TaskSummary[]; nextCursor: string | null } {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.status && filter.status.length > 0) {
        where.push(`status IN (${filter.status.map(() => '?').join(', ')})`);
        params.push(...filter.status);
      }
      if (filter.search) {
        where.push("title LIKE ? ESCAPE '\\'");
        params.push(`%${escapeLike(filter.search)}%`);
      }
      if (filter.cursor) {
        where.push('seq < ?');
        params.push(decodeCursor(filter.cursor));
      }
      const sql =
        'SELECT seq, id, title, status, priority, model, attempts, steps, cost_micro_usd, unknown_cost_calls, error_code, created_at, updated_at ' +
        `FROM tasks ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      const rows = db.prepare(sql).all(...params, filter.limit + 1) as TaskRow[];
      const page = rows.slice(0, filter.limit);
      return {
        tasks: page.map(toTaskSummary),
        nextCursor:
          rows.length > filter.limit && page.length > 0 ? encodeCursor((page.at(-1) as TaskRow).seq) : null,
      };
    },

    countsByStatus(): Partial<Record<TaskStatus, number>> {
      const counts: Partial<Record<TaskStatus, number>> = {};
      for (const row of countByStatus.all() as { status: TaskStatus; n: number }[])
        counts[row.status] = row.n;
      return counts;
    },
  };
}
