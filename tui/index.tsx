/**
 * `az dashboard`: the entry of the Ink dashboard, the only module of tui/ the CLI may import. The CLI finds
 * the server (or starts one) and calls `runDashboard`; the dashboard is then one more MCP client of that
 * server, updated live by its resource notifications. This entry also owns the terminal: the alternate
 * screen while it runs, and restoring it on every way out.
 */
import { connectHttp, type ServerTarget } from './data/connection.js';
import { createDashboardStore, type DashboardStore } from './data/dashboard-store.js';
import { loadLayoutEngine } from './layout-engine.js';
import { colourWanted } from './theme.js';

export type { ServerTarget } from './data/connection.js';
export type { RenderOptions } from './render.js';
export { connectHttp, createDashboardStore, type DashboardStore };

/** Ink, React and the views, loaded on demand (benchmarks and tests mount the dashboard through this). */
export const loadRenderer = async () => {
  await loadLayoutEngine();
  return import('./render.js');
};

export interface DashboardOptions {
  /** Finds the server; called at start and again whenever the connection drops (it may have restarted). */
  target: () => ServerTarget | Promise<ServerTarget>;
  env: Record<string, string | undefined>;
  /** Workspace for tasks created with `n` (undefined: the server's default). */
  workspace?: string | undefined;
  /** Aborting quits the dashboard (the CLI aborts on SIGINT). */
  signal?: AbortSignal;
}

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';

/** Runs the dashboard until the user quits. */
export async function runDashboard(options: DashboardOptions): Promise<void> {
  const store = createDashboardStore({
    connect: async events => connectHttp(await options.target(), events),
    workspace: options.workspace,
    // One screenful first; the rest of the list follows.
    firstPageSize: Math.max(20, process.stdout.rows || 40),
  });
  const tty = process.stdout.isTTY === true;
  // Keys typed before Ink listens (it does once the first frame is drawn) must reach it as keys: in the
  // terminal's line mode they would be echoed, and Enter would arrive as a line feed, which Ink does not take
  // for Return. Raw mode from the start keeps them, unread, for Ink's first read.
  const keys = process.stdin.isTTY ? process.stdin : undefined;
  keys?.setRawMode(true);
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    if (keys?.isRaw) keys.setRawMode(false);
    if (tty) process.stdout.write(LEAVE_ALTERNATE_SCREEN);
  };
  process.once('exit', restore);
  // Connect first: the requests are in flight while Ink and React load. The first frame waits (briefly) for
  // the tasks, so it shows them rather than a "connecting" screen that is drawn only to be replaced.
  store.start();
  const renderer = loadRenderer();
  await Promise.race([store.ready(), new Promise(resolve => setTimeout(resolve, 400))]);
  const { renderDashboard } = await renderer;
  if (tty) process.stdout.write(ENTER_ALTERNATE_SCREEN);
  const instance = renderDashboard({ store, colour: colourWanted(options.env) });
  const quit = (): void => instance.unmount();
  options.signal?.addEventListener('abort', quit, { once: true });
  process.once('SIGTERM', quit);
  process.once('SIGHUP', quit);
  try {
    await instance.waitUntilExit();
  } finally {
    options.signal?.removeEventListener('abort', quit);
    process.off('SIGTERM', quit);
    process.off('SIGHUP', quit);
    await store.close();
    restore();
    process.off('exit', restore);
  }
}
