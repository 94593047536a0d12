/**
 * A real terminal for end-to-end tests: a private tmux server (its own socket, so tests never touch a user's
 * sessions) running one command in a pane of a given size; keys go in with send-keys, the screen comes out
 * with capture-pane.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Terminal {
  /** The visible screen as text (with `escapes`, including colour and style sequences). */
  screen(options?: { escapes?: boolean }): string;
  /** Literal text, typed. */
  type(text: string): void;
  /** tmux key names: Enter, Escape, Down, Up, BSpace, C-c… */
  press(...keys: string[]): void;
  resize(columns: number, rows: number): void;
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  close(): void;
}

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

// CI variables make Ink draw only the final frame (is-in-ci); a terminal user never has them.
const CI_VARIABLES = /^(CI|CONTINUOUS_INTEGRATION|BUILD_NUMBER|RUN_ID|GITHUB_ACTIONS)$|^CI_/;

export function openTerminal(
  command: string,
  options: { env: Record<string, string | undefined>; columns?: number; rows?: number },
): Terminal {
  if (!tmuxAvailable()) {
    throw new Error(
      'tmux is not installed: run ./scripts/install-system-deps.sh (the dashboard e2e test needs it)',
    );
  }
  // A socket of our own in a temp directory (removed on close), never the user's tmux server.
  const socketDir = mkdtempSync(join(tmpdir(), 'az-tmux-'));
  const socket = join(socketDir, 'socket');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) {
    if (value !== undefined && !CI_VARIABLES.test(key) && !key.startsWith('TMUX')) env[key] = value;
  }
  env.TERM = 'xterm-256color';
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-S', socket, ...args], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  tmux(
    'new-session',
    '-d',
    '-s',
    'dash',
    '-x',
    String(options.columns ?? 100),
    '-y',
    String(options.rows ?? 30),
    // Keep the pane after the command ends, to read its exit code and last screen.
    `${command}; echo "[exited $?]"; sleep 600`,
  );
  const terminal: Terminal = {
    screen: ({ escapes = false } = {}) =>
      tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'dash'),
    type: text => void tmux('send-keys', '-t', 'dash', '-l', text),
    press: (...keys) => void tmux('send-keys', '-t', 'dash', ...keys),
    resize: (columns, rows) =>
      void tmux('resize-window', '-t', 'dash', '-x', String(columns), '-y', String(rows)),
    async waitFor(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = terminal.screen();
        if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
        if (Date.now() > deadline) {
          throw new Error(`the terminal never showed ${String(pattern)}; it shows:\n${screen}`);
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    },
    close: () => {
      spawnSync('tmux', ['-S', socket, 'kill-server'], { env });
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
  return terminal;
}
