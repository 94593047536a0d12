/**
 * The dashboard mounted with ink-testing-library on a real server (a runtime of dashboard-server.ts, over the
 * in-memory MCP transport): keys in, frames out.
 */
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import type { Runtime } from '../../server/compose.js';
import { createDashboardStore, type DashboardStore } from '../../tui/data/dashboard-store.js';
import { dashboardElement } from '../../tui/render.js';
import { inProcessConnection, waitFor } from './dashboard-server.js';

export const KEYS = { down: '\u001b[B', up: '\u001b[A', enter: '\r', escape: '\u001b', backspace: '\u007f' };

export interface MountedDashboard {
  store: DashboardStore;
  frame(): string;
  lines(): string[];
  press(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): void;
  waitForFrame(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  unmount(): Promise<void>;
}

export async function mountDashboard(
  runtime: Runtime,
  options: { columns?: number; rows?: number; role?: 'admin' | 'viewer' } = {},
): Promise<MountedDashboard> {
  const principal = {
    name: options.role === 'viewer' ? 'viewer-test' : 'local:test',
    role: options.role ?? 'admin',
    via: 'in-process' as const,
  };
  const store = createDashboardStore({
    connect: events => inProcessConnection(runtime, events, principal),
    statusPollMs: 60_000,
  });
  store.start();
  const instance = render(dashboardElement(store, false) as ReactElement);
  const resize = (columns: number, rows: number): void => {
    Object.defineProperty(instance.stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(instance.stdout, 'rows', { value: rows, configurable: true });
    instance.stdout.emit('resize');
  };
  resize(options.columns ?? 80, options.rows ?? 24);
  const frame = (): string => instance.lastFrame() ?? '';
  const mounted: MountedDashboard = {
    store,
    frame,
    lines: () => frame().split('\n'),
    async press(...keys) {
      for (const key of keys) {
        instance.stdin.write(key);
        await new Promise(resolve => setTimeout(resolve, 15));
      }
    },
    resize,
    waitForFrame: (pattern, timeoutMs = 5000) =>
      waitFor(
        () => {
          const current = frame();
          return (typeof pattern === 'string' ? current.includes(pattern) : pattern.test(current))
            ? current
            : undefined;
        },
        timeoutMs,
        () => `a frame matching ${String(pattern)}; last frame:\n${frame()}`,
      ),
    async unmount() {
      instance.unmount();
      await store.close();
    },
  };
  await waitFor(() => store.getState().tasksLoaded && store.getState().caller, 5000, 'the first load');
  await mounted.waitForFrame('● live');
  return mounted;
}
