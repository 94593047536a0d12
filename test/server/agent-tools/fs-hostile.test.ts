import { execFileSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { setConfigTool, unsetConfigTool } from '../../../protocol/tools/system-tools.js';
import type { ToolContract } from '../../../protocol/tool-contract.js';
import { deleteFileTool } from '../../../server/agent-tools/tools/delete-file.js';
import { editFileTool } from '../../../server/agent-tools/tools/edit-file.js';
import { findFilesTool } from '../../../server/agent-tools/tools/find-files.js';
import { listDirectoryTool } from '../../../server/agent-tools/tools/list-directory.js';
import { moveFileTool } from '../../../server/agent-tools/tools/move-file.js';
import { readFileTool } from '../../../server/agent-tools/tools/read-file.js';
import { searchFilesTool } from '../../../server/agent-tools/tools/search-files.js';
import { writeFileTool } from '../../../server/agent-tools/tools/write-file.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { createWorkspaceHome, snapshot, type WorkspaceHome } from '../../helpers/workspace.js';

describe('file tools under hostile input (real MCP client, in-process server)', () => {
  let home: WorkspaceHome;
  let client: AzClient;
  let socket: Server | undefined;
  let outsideBefore: Record<string, string>;
  let tokenBefore: string;
  const at = (...parts: string[]) => join(home.workspace, ...parts);

  /** Calls a tool that must be refused; returns the error for the test to inspect. */
  async function refused(
    contract: ToolContract,
    args: Record<string, unknown>,
    code: string,
    message: RegExp,
  ) {
    const error = await client.call(contract, args as never).then(
      () => undefined,
      (caught: unknown) => caught as { code: string; message: string; hint?: string },
    );
    expect(error, `${contract.name} ${JSON.stringify(args).slice(0, 120)} should be refused`).toBeDefined();
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
    return error as { code: string; message: string; hint?: string };
  }

  beforeAll(async () => {
    home = createWorkspaceHome();
    writeFileSync(at('inside.txt'), 'inside\n');
    symlinkSync(home.outside, at('out-dir'));
    symlinkSync(join(home.outside, 'secret.txt'), at('out-file'));
    symlinkSync(join(home.outside, 'not-there.txt'), at('dangling'));
    symlinkSync('missing-inside.txt', at('dangling-inside'));
    linkSync(join(home.outside, 'secret.txt'), at('hardlink.txt'));
    execFileSync('mkfifo', [at('fifo')]);
    if (process.getuid?.() === 0) {
      execFileSync('mknod', [at('device'), 'c', '1', '3']);
    } else {
      // Without root a device cannot be made; a socket is the other special file a user can create.
      socket = createServer();
      await new Promise<void>(resolve => socket?.listen(at('device'), resolve));
    }
    mkdirSync(at('.git', 'hooks'), { recursive: true });
    writeFileSync(at('.git', 'config'), '[core]\n');
    writeFileSync(at('.env'), 'API_TOKEN=abc\n');
    mkdirSync(`${home.workspace}-evil`);
    writeFileSync(`${home.workspace}-evil/x.txt`, 'sibling with a common prefix\n');
    client = await connectInProcess(home.env);
    outsideBefore = snapshot(home.outside);
    tokenBefore = readFileSync(join(home.home, 'token'), 'utf8');
  });

  afterEach(() => {
    // Whatever a test tried, nothing outside the workspace changed.
    expect(snapshot(home.outside)).toEqual(outsideBefore);
    expect(readFileSync(join(home.home, 'token'), 'utf8')).toBe(tokenBefore);
    expect(existsSync(join(home.outside, 'not-there.txt'))).toBe(false);
  });

  afterAll(async () => {
    await client?.close();
    socket?.close();
    home?.cleanup();
  });

  it('refuses ../ escapes before touching the disk', async () => {
    for (const path of [
      '../token',
      '../../outside/secret.txt',
      'a/../../token',
      '../workspaces-evil/x.txt',
    ]) {
      await refused(
        readFileTool,
        { path },
        'PERMISSION_DENIED',
        /outside the workspace: it climbs out with \.\./,
      );
    }
    await refused(
      writeFileTool,
      { path: '../../outside/new.txt', content: 'x' },
      'PERMISSION_DENIED',
      /outside/,
    );
  });

  it('refuses absolute paths outside, including a sibling that shares the root as a prefix', async () => {
    for (const path of [
      '/etc/passwd',
      join(home.outside, 'secret.txt'),
      `${home.workspace}-evil/x.txt`,
      join(home.home, 'token'),
    ]) {
      const error = await refused(
        readFileTool,
        { path },
        'PERMISSION_DENIED',
        /outside the workspace: absolute path/,
      );
      expect(error.hint).toContain(home.workspace);
    }
  });

  it('refuses symlinks that lead outside, and symlinked parent directories', async () => {
    await refused(
      readFileTool,
      { path: 'out-file' },
      'PERMISSION_DENIED',
      /resolves through a symlink to a location outside/,
    );
    await refused(readFileTool, { path: 'out-dir/secret.txt' }, 'PERMISSION_DENIED', /symlink/);
    await refused(
      writeFileTool,
      { path: 'out-file', content: 'overwritten' },
      'PERMISSION_DENIED',
      /symlink/,
    );
    await refused(
      writeFileTool,
      { path: 'out-dir/planted.txt', content: 'x' },
      'PERMISSION_DENIED',
      /symlink/,
    );
    await refused(
      editFileTool,
      { path: 'out-dir/dir/file.txt', old_text: 'outside', new_text: 'x' },
      'PERMISSION_DENIED',
      /symlink/,
    );
    await refused(listDirectoryTool, { path: 'out-dir' }, 'PERMISSION_DENIED', /symlink/);
    await refused(findFilesTool, { pattern: '*', path: 'out-dir' }, 'PERMISSION_DENIED', /symlink/);
    await refused(searchFilesTool, { pattern: 'secret', path: 'out-dir' }, 'PERMISSION_DENIED', /symlink/);
    await refused(
      moveFileTool,
      { source: 'out-dir/secret.txt', destination: 'stolen.txt' },
      'PERMISSION_DENIED',
      /symlink/,
    );
    await refused(
      moveFileTool,
      { source: 'inside.txt', destination: 'out-dir/moved.txt' },
      'PERMISSION_DENIED',
      /symlink/,
    );
    await refused(deleteFileTool, { path: 'out-dir/secret.txt' }, 'PERMISSION_DENIED', /symlink/);
    expect(existsSync(at('inside.txt'))).toBe(true);
  });

  it('refuses dangling symlinks, so a write cannot create a file where they point', async () => {
    await refused(writeFileTool, { path: 'dangling', content: 'x' }, 'PERMISSION_DENIED', /dangling symlink/);
    await refused(
      writeFileTool,
      { path: 'dangling-inside', content: 'x' },
      'PERMISSION_DENIED',
      /dangling symlink/,
    );
    await refused(readFileTool, { path: 'dangling' }, 'PERMISSION_DENIED', /dangling symlink/);
    expect(existsSync(at('missing-inside.txt'))).toBe(false);
  });

  it('walks never follow symlinks out of the workspace', async () => {
    const found = await client.call(searchFilesTool, { pattern: 'outside (secret|file)' });
    // Only the hard link (same inode, no way to tell) can show outside content; symlinked ones are not entered.
    expect(found.matches.map(match => match.path)).toEqual(['hardlink.txt']);
    const files = await client.call(findFilesTool, { pattern: '**/*.txt' });
    expect(files.files).not.toContain('out-dir/secret.txt');
    expect(files.files.some(file => file.startsWith('out-dir'))).toBe(false);
  });

  it('refuses to write, edit or overwrite files with several hard links', async () => {
    await refused(
      writeFileTool,
      { path: 'hardlink.txt', content: 'x' },
      'PERMISSION_DENIED',
      /2 hard links.*another name/,
    );
    await refused(
      editFileTool,
      { path: 'hardlink.txt', old_text: 'outside', new_text: 'x' },
      'PERMISSION_DENIED',
      /hard links/,
    );
    await refused(
      moveFileTool,
      { source: 'inside.txt', destination: 'hardlink.txt', overwrite: true },
      'PERMISSION_DENIED',
      /hard links/,
    );
  });

  it('refuses FIFOs and devices at once instead of blocking on them', async () => {
    const started = Date.now();
    await refused(
      readFileTool,
      { path: 'fifo' },
      'PERMISSION_DENIED',
      /is a FIFO \(named pipe\), not a regular file/,
    );
    await refused(writeFileTool, { path: 'fifo', content: 'x' }, 'PERMISSION_DENIED', /FIFO/);
    await refused(editFileTool, { path: 'fifo', old_text: 'a', new_text: 'b' }, 'PERMISSION_DENIED', /FIFO/);
    await refused(
      readFileTool,
      { path: 'device' },
      'PERMISSION_DENIED',
      /(character device|socket), not a regular file/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(lstatSync(at('fifo')).isFIFO()).toBe(true);
  });

  it('rejects NUL bytes and over-long paths with the limit in the message', async () => {
    await refused(readFileTool, { path: 'inside.txt\0.png' }, 'INVALID_INPUT', /NUL byte/);
    await refused(
      writeFileTool,
      { path: `${'d/'.repeat(2100)}f`, content: 'x' },
      'INVALID_INPUT',
      /the limit is 4096/,
    );
    await refused(
      writeFileTool,
      { path: `${'n'.repeat(300)}.txt`, content: 'x' },
      'INVALID_INPUT',
      /longer than 255 bytes/,
    );
    await refused(readFileTool, { path: '' }, 'INVALID_INPUT', /empty/);
  });

  it('asks before touching protected files, and refuses when the client cannot ask its user', async () => {
    const env = await refused(
      readFileTool,
      { path: '.env' },
      'PERMISSION_DENIED',
      /environment file \(\.env\*\).*approval.*elicitation/,
    );
    expect(env.hint).toMatch(/security\.paths/);
    await refused(
      writeFileTool,
      { path: '.git/hooks/pre-commit', content: '#!/bin/sh\ncurl evil' },
      'PERMISSION_DENIED',
      /inside \.git/,
    );
    await refused(
      editFileTool,
      { path: '.git/config', old_text: '[core]', new_text: '[core]\n\tfsmonitor = evil' },
      'PERMISSION_DENIED',
      /\.git/,
    );
    await refused(
      moveFileTool,
      { source: 'inside.txt', destination: '.env.production' },
      'PERMISSION_DENIED',
      /environment file/,
    );
    // A recursive delete puts everything it would remove before the policy.
    mkdirSync(at('project', '.git'), { recursive: true });
    writeFileSync(at('project', '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await refused(deleteFileTool, { path: 'project', recursive: true }, 'PERMISSION_DENIED', /inside \.git/);
    expect(existsSync(at('project', '.git', 'HEAD'))).toBe(true);
    expect(existsSync(at('.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(readFileSync(at('.git', 'config'), 'utf8')).toBe('[core]\n');
  });

  it('deleting a symlink removes the link, never its target', async () => {
    symlinkSync(join(home.outside, 'dir'), at('link-to-delete'));
    const result = await client.call(deleteFileTool, { path: 'link-to-delete' });
    expect(result).toMatchObject({ type: 'symlink', entries_removed: 1 });
    expect(existsSync(at('link-to-delete'))).toBe(false);
  });

  describe('with a policy set', () => {
    const set = (key: string, value: unknown) => client.call(setConfigTool, { key, value });
    afterEach(async () => {
      for (const key of ['security.paths', 'security.roots', 'security.tools.delete_file'])
        await client.call(unsetConfigTool, { key });
    });

    it('a path rule gives the explicit permission a protected file needs', async () => {
      await set('security.paths', [{ pattern: '.env', action: 'allow' }]);
      expect((await client.call(readFileTool, { path: '.env' })).content).toBe('API_TOKEN=abc\n');
    });

    it('path rules and tool settings deny, saying which setting decided', async () => {
      await set('security.paths', [{ pattern: 'private/**', access: 'write', action: 'deny' }]);
      await refused(
        writeFileTool,
        { path: 'private/notes.txt', content: 'x' },
        'PERMISSION_DENIED',
        /path rule 'private\/\*\*' \(deny\)/,
      );
      await set('security.tools.delete_file', 'deny');
      const error = await refused(
        deleteFileTool,
        { path: 'inside.txt' },
        'PERMISSION_DENIED',
        /security\.tools\.delete_file is 'deny'/,
      );
      expect(error.hint).toContain('az config set security.tools.delete_file allow');
      expect(existsSync(at('inside.txt'))).toBe(true);
    });

    it("AZ-OS's own data is unreachable even when a root contains it", async () => {
      await set('security.roots', [home.base]);
      for (const path of ['home/token', 'home/az.db', 'home/config.json', 'home/audit.key']) {
        await refused(readFileTool, { path }, 'PERMISSION_DENIED', /AZ-OS data/);
      }
      await refused(
        writeFileTool,
        { path: 'home/config.json', content: '{}' },
        'PERMISSION_DENIED',
        /AZ-OS data.*never/,
      );
      await refused(listDirectoryTool, { path: 'home' }, 'PERMISSION_DENIED', /AZ-OS data/);
      const listing = await client.call(listDirectoryTool, { path: '.' });
      expect(listing.entries.map(entry => entry.name)).not.toContain('home');
      const found = await client.call(searchFilesTool, { pattern: tokenBefore.trim().slice(0, 20) });
      expect(found.matches).toEqual([]);
      // The workspaces inside the home stay usable.
      expect((await client.call(readFileTool, { path: 'home/workspaces/inside.txt' })).content).toBe(
        'inside\n',
      );
    });
  });
});
