import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { deleteFileTool } from '../../../server/agent-tools/tools/delete-file.js';
import { editFileTool } from '../../../server/agent-tools/tools/edit-file.js';
import { findFilesTool } from '../../../server/agent-tools/tools/find-files.js';
import { listDirectoryTool } from '../../../server/agent-tools/tools/list-directory.js';
import { moveFileTool } from '../../../server/agent-tools/tools/move-file.js';
import { readFileTool } from '../../../server/agent-tools/tools/read-file.js';
import { searchFilesTool } from '../../../server/agent-tools/tools/search-files.js';
import { writeFileTool } from '../../../server/agent-tools/tools/write-file.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { createWorkspaceHome, type WorkspaceHome } from '../../helpers/workspace.js';

describe('file tools do their job (real MCP client, in-process server)', () => {
  let home: WorkspaceHome;
  let client: AzClient;
  const at = (...parts: string[]) => join(home.workspace, ...parts);

  beforeAll(async () => {
    home = createWorkspaceHome();
    client = await connectInProcess(home.env);
  });

  afterAll(async () => {
    await client?.close();
    home?.cleanup();
  });

  it('read_file pages through lines and says how to continue', async () => {
    writeFileSync(
      at('lines.txt'),
      Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\r\n') + '\r\n',
    );
    const page = await client.call(readFileTool, { path: 'lines.txt', offset: 3, limit: 2 });
    expect(page).toMatchObject({ start_line: 3, end_line: 4, total_lines: 10, truncated: true });
    expect(page.content).toBe('line 3\r\nline 4\r\n');
    expect(page.note).toContain('offset 5');
    const all = await client.call(readFileTool, { path: 'lines.txt' });
    expect(all).toMatchObject({ start_line: 1, end_line: 10, truncated: false });
    await expect(client.call(readFileTool, { path: 'lines.txt', offset: 11 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/past the end.*10 lines/),
    });
  });

  it('read_file caps the bytes it returns and refuses binary files', async () => {
    writeFileSync(at('big.txt'), `${'x'.repeat(1000)}\n`.repeat(600));
    const big = await client.call(readFileTool, { path: 'big.txt' });
    expect(Buffer.byteLength(big.content)).toBeLessThanOrEqual(256 * 1024);
    expect(big.truncated).toBe(true);
    expect(big.end_line).toBe(261);
    writeFileSync(at('image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    await expect(client.call(readFileTool, { path: 'image.png' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('binary file'),
    });
  });

  it('write_file creates directories, replaces atomically and keeps the mode', async () => {
    const created = await client.call(writeFileTool, {
      path: 'deep/er/new.sh',
      content: '#!/bin/sh\necho 1\n',
    });
    expect(created).toMatchObject({ path: 'deep/er/new.sh', created: true, bytes_written: 17 });
    chmodSync(at('deep/er/new.sh'), 0o755);
    const replaced = await client.call(writeFileTool, {
      path: 'deep/er/new.sh',
      content: '#!/bin/sh\necho 2\n',
    });
    expect(replaced.created).toBe(false);
    expect(readFileSync(at('deep/er/new.sh'), 'utf8')).toContain('echo 2');
    expect(statSync(at('deep/er/new.sh')).mode & 0o777).toBe(0o755);
    // No temporary files are left behind.
    expect(readdirSync(at('deep/er'))).toEqual(['new.sh']);
    await expect(client.call(writeFileTool, { path: 'deep', content: 'x' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('is a directory'),
    });
  });

  it('edit_file replaces exactly one occurrence, returns a diff, and refuses ambiguity', async () => {
    writeFileSync(at('code.ts'), 'const a = 1;\nconst b = 2;\nconst a2 = 1;\n');
    await expect(
      client.call(editFileTool, { path: 'code.ts', old_text: '= 1;', new_text: '= 3;' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('occurs 2 times'),
    });
    await expect(
      client.call(editFileTool, { path: 'code.ts', old_text: 'const c', new_text: 'x' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const edit = await client.call(editFileTool, {
      path: 'code.ts',
      old_text: 'const b = 2;',
      new_text: 'const b = 20;',
    });
    expect(edit.diff).toBe(
      '--- a/code.ts\n+++ b/code.ts\n@@ -1,3 +1,3 @@\n const a = 1;\n-const b = 2;\n+const b = 20;\n const a2 = 1;\n',
    );
    const all = await client.call(editFileTool, {
      path: 'code.ts',
      old_text: '= 1;',
      new_text: '= 3;',
      replace_all: true,
    });
    expect(all).toMatchObject({ replacements: 2, lines_added: 2, lines_removed: 2 });
    expect(readFileSync(at('code.ts'), 'utf8')).toBe('const a = 3;\nconst b = 20;\nconst a2 = 3;\n');
  });

  it('list_directory shows directories first, with sizes', async () => {
    mkdirSync(at('listing/sub'), { recursive: true });
    writeFileSync(at('listing/b.txt'), '12345');
    writeFileSync(at('listing/a.txt'), '1');
    const listing = await client.call(listDirectoryTool, { path: 'listing' });
    expect(listing.entries).toEqual([
      { name: 'sub', type: 'directory' },
      { name: 'a.txt', type: 'file', size: 1 },
      { name: 'b.txt', type: 'file', size: 5 },
    ]);
  });

  it('find_files honours nested .gitignore files with negation, and never lists .git', async () => {
    mkdirSync(at('repo/.git'), { recursive: true });
    mkdirSync(at('repo/src/gen'), { recursive: true });
    mkdirSync(at('repo/node_modules/lib'), { recursive: true });
    writeFileSync(at('repo/.git/HEAD.ts'), '');
    writeFileSync(at('repo/.gitignore'), 'node_modules/\n*.log\n');
    writeFileSync(at('repo/src/.gitignore'), 'gen/*\n!gen/keep.ts\n');
    for (const file of [
      'src/a.ts',
      'src/gen/x.ts',
      'src/gen/keep.ts',
      'node_modules/lib/i.ts',
      'debug.log',
    ]) {
      writeFileSync(at('repo', file), '');
    }
    const found = await client.call(findFilesTool, { pattern: '**/*.ts', path: 'repo' });
    expect(found.files.sort()).toEqual(['repo/src/a.ts', 'repo/src/gen/keep.ts']);
    const everything = await client.call(findFilesTool, {
      pattern: '*.ts',
      path: 'repo',
      include_ignored: true,
    });
    expect(everything.files).toContain('repo/node_modules/lib/i.ts');
    expect(everything.files.some(file => file.includes('.git/'))).toBe(false);
    const limited = await client.call(findFilesTool, {
      pattern: '*',
      path: 'repo',
      include_ignored: true,
      max_results: 2,
    });
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.files).toHaveLength(2);
  });

  it('search_files finds lines by regex with glob, case and result limits', async () => {
    mkdirSync(at('search'), { recursive: true });
    writeFileSync(at('search/a.py'), 'def Foo():\n    return 1\n\ndef foo_bar():\n    pass\n');
    writeFileSync(at('search/b.js'), 'function foo() {}\n');
    writeFileSync(at('search/blob.bin'), Buffer.from([102, 111, 111, 0, 1, 2]));
    const python = await client.call(searchFilesTool, { pattern: '^def foo', path: 'search', glob: '*.py' });
    expect(python.matches).toEqual([{ path: 'search/a.py', line: 4, text: 'def foo_bar():' }]);
    const anyCase = await client.call(searchFilesTool, {
      pattern: 'def foo',
      path: 'search',
      ignore_case: true,
    });
    expect(anyCase.matches.map(match => match.line)).toEqual([1, 4]);
    const all = await client.call(searchFilesTool, { pattern: 'foo', path: 'search', ignore_case: true });
    expect(all.files_skipped).toBe(1);
    const one = await client.call(searchFilesTool, {
      pattern: 'foo',
      path: 'search',
      ignore_case: true,
      max_results: 1,
    });
    expect(one).toMatchObject({ truncated: true });
    expect(one.matches).toHaveLength(1);
    await expect(client.call(searchFilesTool, { pattern: '(unclosed' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('invalid regular expression'),
    });
  });

  it('search_files stops a catastrophically backtracking regex at its time limit', async () => {
    writeFileSync(at('redos.txt'), `${'a'.repeat(40)}!\n`);
    const started = Date.now();
    await expect(
      client.call(searchFilesTool, { pattern: '^(a+)+$', path: 'redos.txt', timeout_seconds: 1 }),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('catastrophic backtracking'),
    });
    expect(Date.now() - started).toBeLessThan(3000);
    // The server is still responsive afterwards.
    expect((await client.call(readFileTool, { path: 'redos.txt' })).total_lines).toBe(1);
  });

  it('find_files and search_files stop a glob that backtracks catastrophically at their time limit', async () => {
    mkdirSync(at('deep', 'a'.repeat(60)), { recursive: true });
    writeFileSync(at('deep', 'a'.repeat(60), `${'a'.repeat(60)}.txt`), 'x\n');
    const hostile = `${'*a'.repeat(20)}*b`;
    const started = Date.now();
    await expect(
      client.call(findFilesTool, { pattern: hostile, path: 'deep', timeout_seconds: 1 }),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('glob took too long'),
    });
    await expect(
      client.call(searchFilesTool, { pattern: 'x', glob: hostile, path: 'deep', timeout_seconds: 1 }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('move_file renames, replaces only with overwrite, and delete_file needs recursive for full directories', async () => {
    writeFileSync(at('from.txt'), 'from');
    writeFileSync(at('to.txt'), 'to');
    await expect(
      client.call(moveFileTool, { source: 'from.txt', destination: 'to.txt' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const moved = await client.call(moveFileTool, {
      source: 'from.txt',
      destination: 'to.txt',
      overwrite: true,
    });
    expect(moved).toMatchObject({ replaced: true });
    expect(readFileSync(at('to.txt'), 'utf8')).toBe('from');
    await client.call(moveFileTool, { source: 'to.txt', destination: 'moved/into/place.txt' });
    expect(existsSync(at('moved/into/place.txt'))).toBe(true);
    await expect(client.call(deleteFileTool, { path: 'moved' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('not empty'),
    });
    expect(await client.call(deleteFileTool, { path: 'moved', recursive: true })).toMatchObject({
      type: 'directory',
      entries_removed: 3,
    });
    expect(existsSync(at('moved'))).toBe(false);
    await expect(client.call(deleteFileTool, { path: '.' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
