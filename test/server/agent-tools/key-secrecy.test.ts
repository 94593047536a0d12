/**
 * Shell sandbox × data protection, with hostile commands and paths: a real `az serve` whose database is
 * encrypted with a key file kept outside AZ_HOME (AZ_DB_KEY_FILE), with a rotation key in its environment
 * (AZ_DB_NEW_KEY) and a retired key file in its home. An admin client whose root holds both the home and the
 * key's folder tries every way through run_shell_command and the file tools; none shows a key or the token.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { findFilesTool } from '../../../server/agent-tools/tools/find-files.js';
import { listDirectoryTool } from '../../../server/agent-tools/tools/list-directory.js';
import { readFileTool } from '../../../server/agent-tools/tools/read-file.js';
import { runShellCommandTool } from '../../../server/agent-tools/tools/run-shell-command.js';
import { searchFilesTool } from '../../../server/agent-tools/tools/search-files.js';
import { connectHttp } from '../../helpers/http-client.js';
import { runAz, startDaemon, type Daemon } from '../../helpers/processes.js';
import { createWorkspaceHome, type WorkspaceHome } from '../../helpers/workspace.js';

describe('keys and tokens stay out of reach of shell commands and file tools', () => {
  const key = randomBytes(32).toString('hex');
  const newKey = `rotation-${randomBytes(12).toString('hex')}`;
  const retired = randomBytes(32).toString('hex');
  let home: WorkspaceHome;
  let keyFile: string;
  let daemon: Daemon;
  let admin: AzClient;
  let secrets: string[];

  beforeAll(async () => {
    home = createWorkspaceHome('az-key-secrecy-');
    const keys = join(home.base, 'keys');
    // A folder others may enter (AZ-OS checks the key file's own mode, 0600): what hides the key from
    // commands must be the sandbox, not this folder's permissions.
    mkdirSync(keys, { mode: 0o755 });
    keyFile = join(keys, 'az.key');
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
    home.env.AZ_DB_KEY_FILE = keyFile;
    // The client's root holds everything: the home (forbidden but its workspaces), the key folder, the bait.
    mkdirSync(home.home, { recursive: true });
    writeFileSync(join(home.home, 'config.json'), JSON.stringify({ security: { roots: [home.base] } }), {
      mode: 0o600,
    });
    const init = await runAz(['db', 'init'], { env: home.env });
    expect(init.code, init.stderr).toBe(0);
    writeFileSync(join(home.home, 'db.key.retired-20260101T000000Z'), `${retired}\n`, { mode: 0o600 });
    daemon = await startDaemon({ ...home.env, AZ_DB_NEW_KEY: newKey });
    admin = await connectHttp(daemon.url, daemon.token, 'modern', { 'X-AZ-Tool-Profile': 'all' });
    secrets = [key, newKey, retired, daemon.token];
  }, 60_000);

  afterAll(async () => {
    await admin?.close();
    await daemon?.stop();
    home?.cleanup();
  });

  function expectNoSecret(text: string): void {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  it('the database really is encrypted with the outside key file (the premise)', async () => {
    const withoutKey = await runAz(['task', 'list', '--json'], {
      env: { ...home.env, AZ_DB_KEY_FILE: undefined, AZ_URL: 'http://127.0.0.1:1/mcp' },
    });
    expect(withoutKey.code).not.toBe(0);
  });

  it('run_shell_command sees no key, new key, retired key or token, however it looks', async () => {
    const hostile = [
      'env',
      'cat /proc/self/environ /proc/1/environ 2>/dev/null | tr "\\0" "\\n"',
      `for f in /proc/[0-9]*/environ; do tr "\\0" "\\n" < "$f"; done 2>/dev/null`,
      `cat /proc/${daemon.pid}/environ 2>/dev/null | tr "\\0" "\\n"`,
      `cat ${keyFile} 2>&1`,
      `cat ${join(home.home, 'db.key')}* ${join(home.home, 'token')} 2>&1`,
      `ls -la ${home.home} ${join(home.base, 'keys')} 2>&1`,
      `grep -r -a -l -e ${key.slice(0, 16)} -e ${retired.slice(0, 16)} ${home.base} 2>/dev/null; echo grep-done`,
      `cp ${keyFile} stolen.key 2>&1; cat stolen.key 2>&1`,
    ];
    for (const command of hostile) {
      const result = await admin.call(
        runShellCommandTool,
        { command, cwd: home.workspace },
        { timeoutMs: 30_000 },
      );
      expect(result.sandbox).toBe('bubblewrap');
      // It ran (in AZ_HOME/workspaces, which the hidden home gives back): not a sandbox refusal.
      expect(result.stderr, command).not.toMatch(/^bwrap:/m);
      expectNoSecret(`${result.stdout}\n${result.stderr}`);
    }
    const env = await admin.call(runShellCommandTool, { command: 'env', cwd: home.workspace });
    expect(env.stdout).toMatch(/^PATH=/m);
    expect(env.stdout).not.toMatch(/^AZ_/m);
    const grep = await admin.call(runShellCommandTool, {
      command: `grep -r -a -l ${key.slice(0, 16)} ${home.base} 2>/dev/null; echo done`,
      cwd: home.workspace,
    });
    expect(grep.stdout.trim(), JSON.stringify(grep)).toBe('done');
    // The home is an empty tmpfs but for its workspaces; the outside key file is /dev/null in the sandbox
    // (not merely unreadable to the sandbox's user: as a normal user, commands run with the user's own uid).
    const listing = await admin.call(runShellCommandTool, {
      command: `ls ${home.home}; stat -c %F ${keyFile}`,
      cwd: home.workspace,
    });
    expect(listing.stdout, JSON.stringify(listing)).toBe('workspaces\ncharacter special file\n');
  });

  it('file tools refuse the outside key file, the home key files and the token, and never list their content', async () => {
    for (const path of [
      keyFile,
      join(home.home, 'db.key.retired-20260101T000000Z'),
      join(home.home, 'token'),
      join(home.home, 'az.db'),
    ]) {
      await expect(admin.call(readFileTool, { path })).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringMatching(/tools may never touch it/),
      });
    }
    await expect(admin.call(listDirectoryTool, { path: home.home })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    const found = await admin.call(findFilesTool, { pattern: '**/db.key*' });
    expect(JSON.stringify(found)).not.toMatch(/db\.key/);
    // A content search over the whole root finds the key in no file (the bait is searched, the keys are not).
    for (const secret of [key, retired]) {
      const searched = await admin.call(searchFilesTool, { pattern: secret.slice(0, 16) });
      expectNoSecret(JSON.stringify(searched));
      expect(JSON.stringify(searched)).not.toMatch(/az\.key|db\.key/);
    }
    const bait = await admin.call(searchFilesTool, { pattern: 'outside secret' });
    expect(JSON.stringify(bait)).toContain('secret.txt');
  });
});
