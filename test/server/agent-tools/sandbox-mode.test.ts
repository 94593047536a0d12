import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { getStatusTool, setConfigTool } from '../../../protocol/tools/system-tools.js';
import { runShellCommandTool } from '../../../server/agent-tools/tools/run-shell-command.js';
import { connectHttp } from '../../helpers/http-client.js';
import { runAz, startDaemon, type Daemon } from '../../helpers/processes.js';
import { createWorkspaceHome, type WorkspaceHome } from '../../helpers/workspace.js';

describe('az status shows how shell commands are sandboxed', () => {
  it('with bubblewrap working: ok, with its version and the network setting', async () => {
    const home = createWorkspaceHome();
    try {
      const status = await runAz(['status'], { env: home.env });
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/^sandbox\s+ok: bubblewrap \(.*\); network off; mode required$/m);
    } finally {
      home.cleanup();
    }
  });
});

describe('a server where bubblewrap is missing (az serve with no bwrap on its PATH)', () => {
  let home: WorkspaceHome;
  let daemon: Daemon;
  let admin: AzClient;

  beforeAll(async () => {
    home = createWorkspaceHome();
    const emptyBin = join(home.base, 'bin');
    mkdirSync(emptyBin);
    daemon = await startDaemon({ ...home.env, PATH: emptyBin });
    admin = await connectHttp(daemon.url, daemon.token, 'modern', { 'X-AZ-Tool-Profile': 'all' });
  });

  afterAll(async () => {
    await admin?.close();
    await daemon?.stop();
    home?.cleanup();
  });

  it('refuses shell commands by default, saying how to enable them', async () => {
    const status = await runAz(['status'], { env: home.env });
    expect(status.stdout).toMatch(
      /^sandbox\s+unavailable: bwrap \(bubblewrap\) is not installed: shell commands are refused/m,
    );
    expect(status.stdout).toContain('apt-get install bubblewrap');
    await expect(admin.call(runShellCommandTool, { command: 'touch ran.txt' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining(
        'must run in the bubblewrap sandbox, and bwrap (bubblewrap) is not installed',
      ),
      hint: expect.stringContaining('az config set security.sandbox preferred'),
    });
    expect(existsSync(join(home.workspace, 'ran.txt'))).toBe(false);
  });

  it('runs them unsandboxed when the policy prefers but does not require the sandbox, and says so', async () => {
    await admin.call(setConfigTool, { key: 'security.sandbox', value: 'preferred' });
    const result = await admin.call(runShellCommandTool, { command: 'echo ran > ran.txt; echo done' });
    expect(result).toMatchObject({ sandbox: 'none', exit_code: 0, stdout: 'done\n' });
    expect(existsSync(join(home.workspace, 'ran.txt'))).toBe(true);
    const status = await admin.call(getStatusTool, {});
    expect(status.components.sandbox).toMatchObject({ status: 'degraded' });
    expect(status.components.sandbox?.detail).toContain('WITHOUT a sandbox');
  });

  it('lists file and shell tools only to clients that ask for the full profile', async () => {
    const core = await connectHttp(daemon.url, daemon.token, 'modern');
    try {
      const names = (await core.sdk.listTools()).tools.map(tool => tool.name);
      expect(names).not.toContain('read_file');
      expect(names).not.toContain('run_shell_command');
      expect(names.length).toBeLessThanOrEqual(12);
    } finally {
      await core.close();
    }
    const all = (await admin.sdk.listTools()).tools;
    const shell = all.find(tool => tool.name === 'run_shell_command');
    expect(shell?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      openWorldHint: true,
    });
    expect(all.find(tool => tool.name === 'read_file')?.annotations).toMatchObject({ readOnlyHint: true });
  });
});
