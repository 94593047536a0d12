import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/processes.js';

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
    const az = readFileSync(join(REPO_ROOT, 'dist/bin/az.js'), 'utf8');
    const imports = [...az.matchAll(/["']((?:\.\.\/)+tui\/[^"']+)["']/g)].map(match => match[1] as string);
    expect(imports.length).toBeGreaterThan(0);
    for (const path of imports) expect(existsSync(resolve(REPO_ROOT, 'dist/bin', path))).toBe(true);
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
});
