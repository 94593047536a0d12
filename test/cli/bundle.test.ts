import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/processes.js';

function bundleFiles(): string[] {
  const root = join(REPO_ROOT, 'dist/bin');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) files.push(path);
    }
  };
  walk(root);
  return files;
}

describe('the built az bundle', () => {
  it('reaches the server only through its public entry, on demand', () => {
    const files = bundleFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const serverImports = [...text.matchAll(/["']((?:\.\.\/)+(?:server|runtime)\/[^"']+)["']/g)].map(
        match => match[1],
      );
      expect(serverImports.length).toBeGreaterThan(0);
      for (const path of serverImports) {
        // The bundled server entry (dist/runtime/server.js, built from server/index.ts) and nothing else.
        expect(path).toBe('../runtime/server.js');
        // Code-split chunks must reach the same file as the entry does.
        expect(existsSync(resolve(dirname(file), path as string))).toBe(true);
      }
      // Server-only packages never load with the CLI: they come with server/index.js when needed.
      expect(text).not.toMatch(/better-sqlite3|from"express"|@modelcontextprotocol\/server"/);
    }
  });
});
