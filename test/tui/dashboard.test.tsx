/**
 * The dashboard as a user sees it, rendered with ink-testing-library against a real server (in-process
 * runtime, real MCP client over the in-memory transport): keys in, frames out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/dashboard-server.js';
import {
  KEYS,
  mountDashboard as mount,
  type MountedDashboard as Mounted,
} from '../helpers/dashboard-view.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

describe('az dashboard (ink-testing-library, real server)', () => {
  let temp: TempHome;
  let server: TestServer;
  let view: Mounted | undefined;

  beforeEach(async () => {
    temp = createTempHome();
    server = await startTestServer(temp.env);
  });

  afterEach(async () => {
    await view?.unmount();
    view = undefined;
    await server.close();
    temp.cleanup();
  });

  const createTask = (prompt: string, model?: string) =>
    server.runtime.core.tasks.create({ prompt, model }, 'test');

  it('shows status, title, model, steps, cost and age in 80 columns', async () => {
    const failed = createTask('summarise the incident report', 'gpt-4o');
    server.runtime.core.taskStore.transition(failed.id, 'RUNNING', {
      patch: { steps: 7, cost_micro_usd: 42_000 },
    });
    server.runtime.core.taskStore.transition(failed.id, 'FAILED', {
      patch: { error: { code: 'LLM_ERROR', message: 'rate limited' } },
    });
    createTask('index the repository');
    view = await mount(server.runtime);
    const frame = await view.waitForFrame('summarise the incident report');
    expect(frame).toMatch(/STATUS\s+TITLE\s+MODEL\s+STEPS\s+COST\s+AGE/);
    expect(frame).toMatch(/✗ FAILED\s+summarise the incident report\s+gpt-4o\s+7\s+\$0\.04\s+\d+s/);
    expect(frame).toMatch(/◌ PENDING\s+index the repository/);
    expect(frame).toContain('2 tasks');
    for (const line of view.lines()) expect(line.length).toBeLessThanOrEqual(80);
    expect(view.lines().length).toBeLessThan(24);
  });

  it('draws only the rows that fit among 1,000 tasks and scrolls with j, k, G and g', async () => {
    for (let index = 0; index < 1000; index += 1) createTask(`task number ${index}`);
    view = await mount(server.runtime, { rows: 20 });
    await view.waitForFrame('1000 shown');
    const rowsShown = view.lines().filter(line => line.includes('task number')).length;
    expect(rowsShown).toBe(20 - 1 - 5);
    expect(view.frame()).toContain('task number 999');
    await view.press('j', 'j', KEYS.down);
    await view.press('k');
    await view.press('G');
    let frame = await view.waitForFrame('task number 0 ');
    expect(frame).not.toContain('task number 999');
    await view.press('g');
    frame = await view.waitForFrame('task number 999');
    expect(frame).not.toContain('task number 0 ');
  });

  it('filters as you type with /, keeps the filter on Enter and clears it with Esc', async () => {
    createTask('deploy the staging cluster');
    createTask('write release notes');
    createTask('deploy production');
    view = await mount(server.runtime);
    await view.waitForFrame('3 shown');
    await view.press('/', 'd', 'e', 'p', 'l');
    let frame = await view.waitForFrame('2 of 3 shown');
    expect(frame).not.toContain('write release notes');
    await view.press(' ', 's', 't', 'a');
    frame = await view.waitForFrame('1 of 3 shown');
    expect(frame).toContain('deploy the staging cluster');
    await view.press(KEYS.enter);
    await view.waitForFrame('filter "depl sta"');
    await view.press(KEYS.escape);
    await view.waitForFrame('3 shown');
  });

  it('takes keys that arrive in one read one by one, and text plus Enter in the prompt', async () => {
    createTask('first');
    createTask('second');
    createTask('third');
    view = await mount(server.runtime, { columns: 100 });
    await view.waitForFrame('3 shown');
    await view.press('jj\r');
    await view.waitForFrame(/steps \(2\)/);
    expect(view.frame()).toMatch(/PENDING first/);
    await view.press(KEYS.escape, 'n', 'quick task\r');
    await view.waitForFrame(/◌ PENDING\s+quick task/);
  });

  it('sorts by the next column with s and reverses with S', async () => {
    const a = createTask('alpha');
    createTask('bravo');
    server.runtime.core.taskStore.transition(a.id, 'RUNNING', { patch: { cost_micro_usd: 900_000 } });
    view = await mount(server.runtime);
    await view.waitForFrame('sort created ↓');
    const order = () =>
      view!
        .lines()
        .filter(line => /alpha|bravo/.test(line))
        .map(line => (line.includes('alpha') ? 'a' : 'b'))
        .join('');
    expect(order()).toBe('ba');
    await view.press('s', 's', 's');
    await view.waitForFrame('sort cost ↓');
    expect(order()).toBe('ab');
    await view.press('S');
    await view.waitForFrame('sort cost ↑');
    expect(order()).toBe('ba');
  });

  it('shows event kinds it does not know as their data, and expands the one under the cursor', async () => {
    const task = createTask('fix the flaky test', 'gpt-4o');
    view = await mount(server.runtime, { columns: 100, rows: 30 });
    await view.waitForFrame('fix the flaky test');
    await view.press(KEYS.enter);
    await view.waitForFrame('steps (2)');
    // Kinds from other components (or a newer server) are shown as their summary, or their data.
    server.runtime.core.taskStore.appendEvent(task.id, 'plugin.failed', {
      summary: 'the linter crashed',
      error: { code: 'TOOL_FAILED', message: 'eslint exited with 2' },
    });
    server.runtime.core.taskStore.appendEvent(task.id, 'budget_warning', {
      spent_micro_usd: 400_000,
      limit_micro_usd: 500_000,
    });
    const frame = await view.waitForFrame('steps (4)');
    expect(frame).toMatch(/event\s+budget_warning: spent_micro_usd=400000 limit_micro_usd=500000/);
    expect(frame).toMatch(/event\s+plugin.failed: the linter crashed TOOL_FAILED: eslint exited with 2/);
    await view.waitForFrame('checkpoints: none yet');
    expect(frame).toContain('following');
    await view.press('k');
    const expanded = await view.waitForFrame('"message": "eslint exited with 2"');
    expect(expanded).not.toContain('following');
    await view.press(KEYS.escape);
    await view.waitForFrame('STATUS');
  });

  it('cancels the selected task only after y, and explains why a settled task cannot be cancelled', async () => {
    const task = createTask('long running crawl');
    view = await mount(server.runtime);
    await view.waitForFrame('long running crawl');
    await view.press('c');
    await view.waitForFrame(
      "Cancel 'long running crawl'? It stops within a second and cannot be undone. y/N",
    );
    await view.press('n');
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(server.runtime.core.taskStore.get(task.id).status).toBe('PENDING');
    await view.press('c', 'y');
    await view.waitForFrame(/⊘ CANCELLED|· FINALIZED/);
    expect(server.runtime.core.taskStore.get(task.id).status).toBe('FINALIZED');
    await view.press('c');
    await view.waitForFrame('only queued or running tasks can be cancelled');
  });

  it('creates a task from the prompt typed after n', async () => {
    view = await mount(server.runtime);
    await view.waitForFrame('no tasks yet');
    await view.press('n');
    await view.waitForFrame('New task:');
    await view.press(
      't',
      'r',
      'a',
      'n',
      's',
      'l',
      'a',
      't',
      'e',
      KEYS.backspace,
      'e',
      ' ',
      'docs',
      KEYS.enter,
    );
    await view.waitForFrame(/◌ PENDING\s+translate docs/);
    const [created] = server.runtime.core.taskStore.list({ limit: 5 }).tasks;
    expect(created?.title).toBe('translate docs');
  });

  it('retries a FAILED task with r and says why a PENDING one cannot be retried', async () => {
    const task = createTask('flaky network job');
    view = await mount(server.runtime);
    await view.waitForFrame('flaky network job');
    await view.press('r');
    await view.waitForFrame('only FAILED tasks can be retried');
    server.runtime.core.taskStore.transition(task.id, 'RUNNING');
    server.runtime.core.taskStore.transition(task.id, 'FAILED', {
      patch: { error: { code: 'LLM_ERROR', message: 'timeout' } },
    });
    await view.waitForFrame('✗ FAILED');
    await view.press('r');
    await view.waitForFrame(/↻ RETRYING\s+flaky network job/);
    expect(server.runtime.core.taskStore.get(task.id).status).toBe('RETRYING');
  });

  it('lists every key on ? and closes the help on any key', async () => {
    view = await mount(server.runtime, { rows: 30 });
    await view.press('?');
    const frame = await view.waitForFrame('Keys');
    for (const key of ['j ↓', '/', 'n', 'c', 'r', 'R', '?', 'q ^C']) expect(frame).toContain(key);
    await view.press('x');
    await view.waitForFrame('STATUS');
  });

  it('shows a viewer token everything but draws its actions disabled and refuses them', async () => {
    createTask('read only please');
    view = await mount(server.runtime, { role: 'viewer', columns: 100 });
    const frame = await view.waitForFrame('read-only token (viewer): new, cancel and retry are disabled');
    expect(frame).toContain('read only please');
    expect(frame).toContain('viewer viewer-test');
    await view.press('c');
    await view.waitForFrame('this token is read-only (viewer): actions are disabled');
    await view.press('n');
    expect(view.frame()).not.toContain('New task:');
  });

  it('strips escape sequences and control characters that come from the server', async () => {
    const task = createTask('innocent title');
    // A tool's output is what the agent summarises into its events: a file may hold anything.
    server.runtime.core.taskStore.appendEvent(task.id, 'tool.result', {
      summary:
        'step 1: azos__read_file ok: line\u001b]0;pwned\u0007 one\u001b[2J\u001b[31m red\u202e evil\u0000',
      step: 1,
      tool: 'azos__read_file',
      ok: true,
    });
    view = await mount(server.runtime, { columns: 120, rows: 30 });
    await view.waitForFrame('innocent title');
    await view.press(KEYS.enter);
    const frame = await view.waitForFrame('azos__read_file ok:');
    expect(frame).toContain('line one red evil');
    expect(frame).not.toMatch(/\u001b\]|\u001b\[2J|\u202e|\u0000|pwned\u0007/);
  });

  it('follows the terminal size: ids at 120 columns, no model column at 60', async () => {
    createTask('resizable task', 'gpt-4o-mini');
    view = await mount(server.runtime, { columns: 120, rows: 24 });
    let frame = await view.waitForFrame(/STATUS\s+ID\s+TITLE/);
    expect(frame).toContain('gpt-4o-mini');
    view.resize(60, 24);
    frame = await view.waitForFrame(/STATUS\s+TITLE\s+STEPS/);
    expect(frame).not.toContain('gpt-4o-mini');
    for (const line of view.lines()) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('shows system health: tasks, the server and each subsystem it reports', async () => {
    const task = createTask('busy task', 'gpt-4o');
    server.runtime.core.taskStore.transition(task.id, 'RUNNING');
    view = await mount(server.runtime, { rows: 30 });
    await view.press('3');
    const frame = await view.waitForFrame('Subsystems');
    expect(frame).toMatch(/running 1 · queued 0/);
    // The agent's components report themselves: the LLM endpoint (none reachable here) and the executor.
    expect(frame).toMatch(/llm\s+✗ unavailable\s+no LLM reachable/);
    expect(frame).toMatch(/executor\s+\S+ (ok|degraded)/);
    // The sandbox reports itself (issue 4): its state and detail, whatever they are on this machine.
    expect(frame).toMatch(/sandbox\s+\S+ (ok|degraded|unavailable|disabled)\s+\S/);
    expect(frame).toContain('AZ-OS 0.1.0');
    await view.press(KEYS.escape);
    await view.waitForFrame('STATUS');
  });
});

describe('az dashboard against a server without the agent (only task and system tools)', () => {
  it('sums cost from the task list, says why, and shows the missing subsystems as not reported', async () => {
    const temp = createTempHome();
    const server = await startTestServer(temp.env, { minimal: true });
    let view: Mounted | undefined;
    try {
      const task = server.runtime.core.tasks.create({ prompt: 'costly task', model: 'gpt-4o' }, 'test');
      server.runtime.core.taskStore.transition(task.id, 'RUNNING', { patch: { cost_micro_usd: 2_500_000 } });
      view = await mount(server.runtime, { rows: 30 });
      await view.press('2');
      let frame = await view.waitForFrame('get_cost_summary) is not available on this server');
      expect(frame).toMatch(/today \(local\)\s+\$2\.50/);
      expect(frame).toMatch(/gpt-4o\s+\$2\.50/);
      expect(frame).not.toContain('budget');
      await view.press('3');
      frame = await view.waitForFrame('Subsystems');
      expect(frame).toMatch(/llm\s+\? not reported by this server/);
      await view.press('1', 'r');
      await view.waitForFrame('only FAILED tasks can be retried');
    } finally {
      await view?.unmount();
      await server.close();
      temp.cleanup();
    }
  });
});
