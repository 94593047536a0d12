import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, startDaemon } from '../helpers/processes.js';
import { createTempHome } from '../helpers/temp-home.js';

function dashboardFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) files.push(path);
    }
  };
  walk(join(REPO_ROOT, 'dist/tui'));
  return files;
}

describe('the built dashboard bundle', () => {
  it('is where the az bundle loads it from', () => {
    // The az entry and its chunks (the dashboard command is one of them) import dist/tui relative to themselves.
    let imports = 0;
    const azFiles = [
      join(REPO_ROOT, 'dist/bin/az.js'),
      ...readdirSync(join(REPO_ROOT, 'dist/chunks'))
        .filter(name => name.endsWith('.js'))
        .map(name => join(REPO_ROOT, 'dist/chunks', name)),
    ];
    for (const file of azFiles) {
      const text = readFileSync(file, 'utf8');
      for (const [, path] of text.matchAll(/["']((?:\.\.\/)+tui\/[^"']+)["']/g)) {
        imports += 1;
        expect(path).toBe('../tui/index.js');
        expect(existsSync(resolve(dirname(file), path as string))).toBe(true);
      }
    }
    expect(imports).toBeGreaterThan(0);
  });

  it('is an MCP client only: nothing from the server, no database or server packages', () => {
    const files = dashboardFiles();
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/["'](?:\.\.\/)+server\//);
      expect(text).not.toMatch(/better-sqlite3|from"express"|@modelcontextprotocol\/server"|chromadb/);
    }
  });

  it('runs React in its production build', () => {
    const render = readFileSync(join(REPO_ROOT, 'dist/tui/render.js'), 'utf8');
    // A warning only React's development build carries.
    expect(render).not.toContain('Cannot update a component');
    expect(render).toContain('createElement');
  });

  it('draws from stateless calls: Node fetch and the SDK session load only when live updates are asked for', async () => {
    const temp = createTempHome('az-dashboard-bundle-');
    const daemon = await startDaemon(temp.env);
    try {
      // In a fresh process, as `az dashboard` runs: connect, read the tasks, load the renderer (and Yoga), then
      // ask for what needs the SDK session (tools/list). Node's fetch (undici) is what the SDK transport and,
      // unpatched, Yoga's loader would load first.
      const script = `
        const dashboard = require(${JSON.stringify(join(REPO_ROOT, 'dist/tui/index.js'))});
        const fetchLoaded = () => process.moduleLoadList.some(name => name.includes('undici'));
        (async () => {
          const { listTasksTool } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/protocol/tools/task-tools.js'))});
          const events = { onUpdated() {}, onLost() {} };
          const connection = await dashboard.connectHttp({ url: process.env.URL, token: process.env.TOKEN }, events);
          const page = await connection.client.call(listTasksTool, { limit: 5 });
          await dashboard.loadRenderer();
          const before = fetchLoaded();
          const tools = await connection.client.toolNames();
          const after = fetchLoaded();
          await connection.close();
          console.log(JSON.stringify({ tasks: page.tasks.length, before, after, era: connection.era, listTools: tools.has('list_tasks') }));
        })().catch(error => { console.error(error); process.exit(1); });`;
      const output = execFileSync(process.execPath, ['-e', script], {
        env: { ...temp.env, URL: daemon.url, TOKEN: daemon.token },
        encoding: 'utf8',
      });
      expect(JSON.parse(output)).toEqual({
        tasks: 0,
        before: false,
        after: true,
        era: 'modern',
        listTools: true,
      });
    } finally {
      await daemon.stop();
      temp.cleanup();
    }
  });
});
