/**
 * `az dashboard` end to end: the built CLI in a real terminal (tmux), against a real `az serve`, driven by keys
 * and read from the screen. Needs `npm run build` (npm test does it) and tmux.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AzClient } from '../../protocol/client.js';
import {
  cancelTaskTool,
  createTaskTool,
  getTaskTool,
  listTasksTool,
} from '../../protocol/tools/task-tools.js';
import { startTestServer, type TestServer } from '../helpers/dashboard-server.js';
import { connectHttp } from '../helpers/http-client.js';
import { AZ_BIN, runAz, startDaemon, type Daemon } from '../helpers/processes.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';
import { openTerminal, type Terminal } from '../helpers/tmux.js';

const dashboard = (home: string, extra = '') =>
  `cd '${home}' && ${extra} '${process.execPath}' '${AZ_BIN}' dashboard`;

describe('az dashboard in a terminal (tmux), against az serve', () => {
  let temp: TempHome;
  let daemon: Daemon;
  let client: AzClient;
  let terminal: Terminal | undefined;

  beforeEach(async () => {
    temp = createTempHome();
    daemon = await startDaemon(temp.env);
    client = await connectHttp(daemon.url, daemon.token, 'modern');
  });

  afterEach(async () => {
    terminal?.close();
    terminal = undefined;
    await client.close();
    await daemon.stop();
    temp.cleanup();
  });

  it('shows the tasks, follows live changes, filters, navigates, opens, cancels, creates and quits', async () => {
    for (const prompt of ['collect the invoices', 'translate the manual', 'benchmark the parser']) {
      await client.call(createTaskTool, { prompt });
    }
    terminal = openTerminal(dashboard(temp.home), { env: temp.env, columns: 100, rows: 30 });
    let screen = await terminal.waitFor('benchmark the parser');
    expect(screen).toMatch(/◌ PENDING\s+collect the invoices/);
    // The tasks come first (stateless calls); "live" once the update stream is acknowledged.
    screen = await terminal.waitFor('● live');

    // Live: another client creates and cancels; the screen follows without a key press.
    const { task: late } = await client.call(createTaskTool, { prompt: 'arrived while watching' });
    await terminal.waitFor('arrived while watching');
    await client.call(cancelTaskTool, { task_id: late.id });
    await terminal.waitFor(/· FINALIZED\s+arrived while watching/);

    // Filter as you type, then clear.
    terminal.type('/');
    terminal.type('transl');
    screen = await terminal.waitFor('1 of 4 shown');
    expect(screen).not.toContain('collect the invoices');
    terminal.press('Escape');
    await terminal.waitFor('4 shown');

    // Navigate to "translate the manual" (second row from the top is the newest-but-one) and open it.
    terminal.press('j', 'j');
    terminal.press('Enter');
    screen = await terminal.waitFor('── steps (2)');
    expect(screen).toContain('translate the manual');
    expect(screen).toMatch(/status\s+INITIALIZED → PENDING/);
    await terminal.waitFor('checkpoints: none yet');

    // Cancel it from the detail view, with confirmation.
    terminal.type('c');
    await terminal.waitFor("Cancel 'translate the manual'?");
    terminal.type('y');
    await terminal.waitFor(/PENDING → CANCELLED/);
    const { tasks } = await client.call(listTasksTool, { search: 'translate' });
    expect(tasks[0]?.status).toBe('FINALIZED');
    terminal.press('Escape');
    await terminal.waitFor('STATUS');

    // A new task from the prompt.
    terminal.type('n');
    await terminal.waitFor('New task:');
    terminal.type('write the changelog');
    terminal.press('Enter');
    await terminal.waitFor(/◌ PENDING\s+write the changelog/);
    const created = (await client.call(listTasksTool, { search: 'changelog' })).tasks[0];
    expect((await client.call(getTaskTool, { task_id: created?.id as string })).task.workspace).toBe(
      temp.home,
    );

    // Quit: the alternate screen is left and the command exits 0.
    terminal.type('q');
    screen = await terminal.waitFor('[exited 0]');
    expect(screen).not.toContain('STATUS');
  });

  it('takes keys typed before it is on screen: Enter opens the selected task', async () => {
    await client.call(createTaskTool, { prompt: 'file the expenses' });
    // Enter reaches the terminal while the shell still sleeps, in the terminal's line mode, which turns it
    // into a line feed; the dashboard reads it once it is up.
    terminal = openTerminal(dashboard(temp.home, 'sleep 1 &&'), { env: temp.env, columns: 100, rows: 30 });
    terminal.press('Enter');
    const screen = await terminal.waitFor('── steps (2)');
    expect(screen).toContain('file the expenses');
    expect(screen).toMatch(/status\s+INITIALIZED → PENDING/);
    terminal.type('q');
    await terminal.waitFor('[exited 0]');
  });

  it('redraws for a smaller terminal and stays within 80 columns', async () => {
    await client.call(createTaskTool, {
      prompt: 'a task with a rather long title that will need to be truncated somewhere',
    });
    terminal = openTerminal(dashboard(temp.home), { env: temp.env, columns: 120, rows: 30 });
    await terminal.waitFor(/STATUS\s+ID\s+TITLE/);
    terminal.resize(80, 24);
    const screen = await terminal.waitFor(/STATUS\s+TITLE\s+MODEL/);
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(screen).toContain('q quit');
  });

  it('uses colour for statuses, and none at all with NO_COLOR', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'colourful task' });
    await client.call(cancelTaskTool, { task_id: task.id });
    terminal = openTerminal(dashboard(temp.home), { env: temp.env });
    await terminal.waitFor('colourful task');
    // SGR colour parameters: 30-37, 90-97 and 38;… (foreground), 40-47, 100-107 and 48;… (background).
    const colour = /\u001b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7]|4[0-8]|10[0-7])(?:[;m])/;
    expect(terminal.screen({ escapes: true })).toMatch(colour);
    terminal.close();
    terminal = openTerminal(dashboard(temp.home, 'NO_COLOR=1'), { env: temp.env });
    await terminal.waitFor('colourful task');
    expect(terminal.screen({ escapes: true })).not.toMatch(colour);
    expect(terminal.screen()).toMatch(/· FINALIZED\s+colourful task/);
  });
});

describe('az dashboard with a viewer token and without a server', () => {
  let temp: TempHome;
  let terminal: Terminal | undefined;

  beforeEach(() => {
    temp = createTempHome();
  });

  afterEach(() => {
    terminal?.close();
    terminal = undefined;
    temp.cleanup();
  });

  it('shows a viewer everything and refuses its actions (--url, AZ_TOKEN)', async () => {
    const server: TestServer = await startTestServer(temp.env);
    try {
      server.runtime.core.tasks.create({ prompt: 'look but do not touch' }, 'test');
      terminal = openTerminal(
        `${dashboard(temp.home, `AZ_TOKEN=${server.viewerToken}`)} --url ${server.url}`,
        {
          env: temp.env,
        },
      );
      const screen = await terminal.waitFor('read-only token (viewer)');
      expect(screen).toContain('look but do not touch');
      terminal.type('c');
      await terminal.waitFor('this token is read-only (viewer): actions are disabled');
      expect(server.runtime.core.taskStore.list({ limit: 5 }).tasks[0]?.status).toBe('PENDING');
    } finally {
      terminal?.close();
      await server.close();
    }
  });

  it('starts a server with --start when none runs', async () => {
    terminal = openTerminal(`${dashboard(temp.home)} --start`, { env: temp.env });
    await terminal.waitFor('no tasks yet: press n to create one');
    const info = JSON.parse(readFileSync(join(temp.home, 'server.json'), 'utf8')) as { pid: number };
    terminal.type('q');
    await terminal.waitFor('[exited 0]');
    // The server keeps running for other clients; stop the one this test started.
    process.kill(info.pid, 'SIGTERM');
  });

  it('asks to start a server when none runs, and starts it on yes', async () => {
    terminal = openTerminal(dashboard(temp.home), { env: temp.env });
    await terminal.waitFor(/No AZ-OS server runs for .*Start one now \(az serve --detach\)\? \[Y\/n\]/s);
    terminal.type('y');
    terminal.press('Enter');
    await terminal.waitFor('no tasks yet: press n to create one');
    const info = JSON.parse(readFileSync(join(temp.home, 'server.json'), 'utf8')) as { pid: number };
    terminal.type('q');
    const screen = await terminal.waitFor('[exited 0]');
    expect(screen).toContain(`server pid ${info.pid}`);
    process.kill(info.pid, 'SIGTERM');
  });

  it('refuses --json: the dashboard is interactive', async () => {
    const result = await runAz(['dashboard', '--json'], { env: temp.env });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('the dashboard is interactive and has no --json output');
  });

  it('exits 6 with a hint when no server runs and it cannot ask', async () => {
    const result = await runAz(['dashboard'], { env: temp.env });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('no AZ-OS server runs for');
    expect(result.stderr).toContain('az dashboard --start');
  });
});
