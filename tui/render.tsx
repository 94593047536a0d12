/**
 * Mounting the dashboard with Ink. Kept apart from the entry so that `az dashboard` connects to the server
 * while Ink and React load (the entry imports this module lazily): the two waits overlap.
 */
import { render, type Instance } from 'ink';
import type { ReactNode } from 'react';
import { Dashboard } from './app.js';
import type { DashboardStore } from './data/dashboard-store.js';
import { StoreContext } from './hooks/use-store.js';
import { ThemeContext } from './hooks/use-theme.js';
import { createTheme } from './theme.js';

export interface RenderOptions {
  store: DashboardStore;
  colour: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  /** Called after each frame Ink draws, with its render time (benchmarks). */
  onRender?: (metrics: { renderTime: number }) => void;
}

/** The dashboard element with its store and theme, for Ink or ink-testing-library. */
export function dashboardElement(store: DashboardStore, colour: boolean): ReactNode {
  return (
    <StoreContext.Provider value={store}>
      <ThemeContext.Provider value={createTheme(colour)}>
        <Dashboard />
      </ThemeContext.Provider>
    </StoreContext.Provider>
  );
}

/** Mounts the dashboard on a terminal; Ink draws at most 60 frames a second. */
export function renderDashboard(options: RenderOptions): Instance {
  return render(dashboardElement(options.store, options.colour), {
    stdout: options.stdout ?? process.stdout,
    stdin: options.stdin ?? process.stdin,
    stderr: options.stderr ?? process.stderr,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 60,
    onRender: options.onRender,
  });
}
