import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AZ_BIN, REPO_ROOT, startDaemon } from '../helpers/processes.js';
import { createTempHome } from '../helpers/temp-home.js';

/** The az entry (dist/bin) and the chunks it loads on demand (dist/cli-chunks). */
function bundleFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) files.push(path);
    }
  };
  walk(join(REPO_ROOT, 'dist/bin'));
  walk(join(REPO_ROOT, 'dist/cli-chunks'));
  return files;
}

describe('the built az bundle', () => {
  it('reaches the server only through its public entry, on demand', () => {
    const files = bundleFiles();
    expect(files.length).toBeGreaterThan(1);
    let serverImportsSeen = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const serverImports = [...text.matchAll(/["']((?:\.\.\/)+(?:server|runtime)\/[^"']+)["']/g)].map(
        match => match[1],
      );
      serverImportsSeen += serverImports.length;
      for (const path of serverImports) {
        // The bundled server entry (dist/runtime/server.js, built from server/index.ts) and nothing else.
        expect(path).toBe('../runtime/server.js');
        // Code-split chunks must reach the same file as the entry does.
        expect(existsSync(resolve(dirname(file), path as string))).toBe(true);
      }
      // Server-only packages never load with the CLI: they come with server/index.js when needed.
      expect(text).not.toMatch(/better-sqlite3|from"express"|@modelcontextprotocol\/server"/);
    }
    expect(serverImportsSeen).toBeGreaterThan(0);
  });

  it('az task list over HTTP loads neither the SDK client nor the server bundle', async () => {
    const temp = createTempHome();
    const daemon = await startDaemon(temp.env);
    try {
      // A module hook that names every file the process loads, on stderr.
      const hook = `data:text/javascript,${encodeURIComponent(
        'export async function load(url, context, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }',
      )}`;
      const register = `data:text/javascript,${encodeURIComponent(
        `import { register } from 'node:module'; register(${JSON.stringify(hook)});`,
      )}`;
      const result = spawnSync(process.execPath, ['--import', register, AZ_BIN, 'task', 'list', '--json'], {
        env: temp.env as NodeJS.ProcessEnv,
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ tasks: [], next_cursor: null });
      const loaded = [...result.stderr.matchAll(/^LOADED (file:\S+)$/gm)].map(match => match[1] as string);
      expect(loaded.some(url => url.endsWith('/dist/bin/az.js'))).toBe(true);
      expect(loaded.some(url => url.includes('/dist/cli-chunks/task-list-'))).toBe(true);
      // The SDK client's own text (its capability checks): present in a chunk, absent from what loaded.
      for (const url of loaded) {
        expect(url).not.toMatch(/\/dist\/runtime\//);
        expect(readFileSync(new URL(url), 'utf8')).not.toMatch(/does not advertise tools capability/);
      }
    } finally {
      await daemon.stop();
      temp.cleanup();
    }
  });
});
