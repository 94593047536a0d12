/**
 * The built `az` (scripts/bundle-cli.mjs): one code-split build of the CLI and server entries. These tests pin
 * what start-up costs depend on — which packages a command actually loads — by running the built binary
 * with a module hook that names every file it loads, and reading each file's source map.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZ_BIN, REPO_ROOT, startDaemon, type Daemon } from '../helpers/processes.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

function builtFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['dist/bin', 'dist/runtime', 'dist/chunks']) {
    for (const name of readdirSync(join(REPO_ROOT, dir))) {
      if (name.endsWith('.js')) files.push(join(REPO_ROOT, dir, name));
    }
  }
  return files;
}

// A module hook that names every file the process loads, on stderr.
const HOOK = `data:text/javascript,${encodeURIComponent(
  'export async function load(url, context, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }',
)}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify(HOOK)});`,
)}`;

/** Runs az with the hook; returns its parsed --json output and the built files it loaded. */
function loadedBy(
  args: string[],
  env: Record<string, string | undefined>,
): { output: unknown; files: string[] } {
  const result = spawnSync(process.execPath, ['--import', REGISTER, AZ_BIN, ...args], {
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  const files = [...result.stderr.matchAll(/^LOADED (file:\S+)$/gm)]
    .map(match => fileURLToPath(match[1] as string))
    .filter(path => path.startsWith(join(REPO_ROOT, 'dist')));
  return { output: JSON.parse(result.stdout), files };
}

/** The npm packages a built file holds, from its source map. */
function packagesIn(file: string): Set<string> {
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
  const packages = new Set<string>();
  for (const source of map.sources) {
    // The last node_modules/ segment names the package (the SDK vendors some dependencies under its own).
    const at = source.lastIndexOf('node_modules/');
    if (at === -1) continue;
    const found = /^((?:@[^/]+\/)?[^/]+)/.exec(source.slice(at + 'node_modules/'.length));
    if (found) packages.add(found[1] as string);
  }
  return packages;
}

const loadedPackages = (files: string[]): Set<string> =>
  new Set(files.flatMap(file => [...packagesIn(file)]));

describe('the built az', () => {
  let temp: TempHome;

  beforeAll(() => {
    temp = createTempHome();
  });
  afterAll(() => temp.cleanup());

  it('reaches the server only through its entry, and the dashboard through its own bundle', () => {
    let serverImports = 0;
    for (const file of builtFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const [, path] of text.matchAll(/["']((?:\.\.\/)+(?:server|runtime)\/[^"']+)["']/g)) {
        serverImports += 1;
        expect(path).toBe('../runtime/server.js');
        expect(existsSync(resolve(dirname(file), path as string))).toBe(true);
      }
      for (const [, path] of text.matchAll(/["']((?:\.\.\/)+tui\/[^"']+)["']/g)) {
        expect(path).toBe('../tui/index.js');
      }
    }
    expect(serverImports).toBeGreaterThan(0);
  });

  it('az task list over HTTP loads neither the server, nor the SDK client, nor SQLite', async () => {
    const daemon: Daemon = await startDaemon(temp.env);
    try {
      const { output, files } = loadedBy(['task', 'list', '--json'], temp.env);
      expect(output).toEqual({ tasks: [], next_cursor: null });
      expect(files).toContain(AZ_BIN);
      expect(files.some(file => /\/chunks\/task-list-/.test(file))).toBe(true);
      expect(files).not.toContain(join(REPO_ROOT, 'dist/runtime/server.js'));
      const packages = loadedPackages(files);
      expect(packages.has('meow')).toBe(true);
      for (const absent of [
        '@modelcontextprotocol/client',
        '@modelcontextprotocol/server',
        'express',
        'ajv',
      ]) {
        expect(packages.has(absent), absent).toBe(false);
      }
    } finally {
      await daemon.stop();
    }
  });

  it('az task list in-process loads the server but not what only tasks, memory or HTTP need', () => {
    const { output, files } = loadedBy(['task', 'list', '--json'], {
      ...temp.env,
      AZ_TASKS_AUTOSTART_DAEMON: 'false',
    });
    expect(output).toEqual({ tasks: [], next_cursor: null });
    expect(files).toContain(join(REPO_ROOT, 'dist/runtime/server.js'));
    const packages = loadedPackages(files);
    expect(packages.has('@modelcontextprotocol/server')).toBe(true);
    // Each of these loads on first use: a model call, a shell command, memory, a checkpoint, az serve; the
    // SDK's client is not needed at all (protocol/transport-client.ts talks to the in-memory transport).
    for (const absent of [
      'openai',
      'execa',
      'chromadb',
      'simple-git',
      'express',
      '@modelcontextprotocol/client',
    ]) {
      expect(packages.has(absent), absent).toBe(false);
    }
  });
});
