/**
 * The built `az` (scripts/bundle-cli.mjs): one code-split build of the CLI and server entries, as CommonJS
 * files with a V8 code cache (scripts/launcher.cjs). These tests pin what start-up costs depend on — which
 * packages a command actually loads — by running the built binary with a preloaded script that names every
 * file in the module cache when the process ends, and reading each file's source map; and they check that the
 * code cache is used, and that a missing, stale or corrupt one, or an install its user cannot write to, never
 * changes what runs.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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

// Preloaded: names every file the process loaded (the bundled files are CommonJS, so all of them are in
// require's cache) and every Node built-in module it loaded, on stderr, when it ends.
const TRACE_DIR = mkdtempSync(join(tmpdir(), 'az-bundle-trace-'));
const TRACE = join(TRACE_DIR, 'trace.cjs');
afterAll(() => rmSync(TRACE_DIR, { recursive: true, force: true }));
writeFileSync(
  TRACE,
  "process.on('exit', () => { for (const file of Object.keys(require('node:module')._cache)) " +
    'process.stderr.write(`LOADED ${file}\\n`); ' +
    "for (const entry of process.moduleLoadList) if (entry.startsWith('NativeModule ')) " +
    "process.stderr.write(`BUILTIN ${entry.slice('NativeModule '.length)}\\n`); });\n",
);

/** Runs az with the trace; returns its parsed --json output and the built files it loaded. */
function loadedBy(
  args: string[],
  env: Record<string, string | undefined>,
): { output: unknown; files: string[]; builtins: Set<string> } {
  const result = spawnSync(process.execPath, ['--require', TRACE, AZ_BIN, ...args], {
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  const files = [...result.stderr.matchAll(/^LOADED (\S+)$/gm)]
    .map(match => match[1] as string)
    .filter(path => path.startsWith(join(REPO_ROOT, 'dist')));
  const builtins = new Set([...result.stderr.matchAll(/^BUILTIN (\S+)$/gm)].map(match => match[1] as string));
  return { output: JSON.parse(result.stdout), files, builtins };
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

/** The packages bundled into the files loaded (the launcher, dist/bin/az.js, is written by hand: no map). */
const loadedPackages = (files: string[]): Set<string> =>
  new Set(files.filter(file => file !== AZ_BIN).flatMap(file => [...packagesIn(file)]));

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
      const { output, files, builtins } = loadedBy(['task', 'list', '--json'], temp.env);
      expect(output).toEqual({ tasks: [], next_cursor: null });
      // One POST over a plain socket (protocol/http1-post.ts), not node:http's client.
      expect(builtins.has('net')).toBe(true);
      // Node modules only some commands need (meow used to load child_process on every command).
      for (const absent of ['child_process', 'worker_threads', 'http', 'https']) {
        expect(builtins.has(absent), absent).toBe(false);
      }
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
    const { output, files, builtins } = loadedBy(['task', 'list', '--json'], {
      ...temp.env,
      AZ_TASKS_AUTOSTART_DAEMON: 'false',
    });
    expect(output).toEqual({ tasks: [], next_cursor: null });
    expect(builtins.has('crypto')).toBe(true);
    // Loaded on first use by the modules that need them: an HTTP call, a spawned server or Chroma, a backup.
    for (const absent of ['http', 'https', 'child_process', 'worker_threads']) {
      expect(builtins.has(absent), absent).toBe(false);
    }
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

  it("runs SQLite with its bundled JavaScript and the installed addon, or an installed other version's own", () => {
    // An install of its own: the build's files, and the SQLite driver in a node_modules next to them, once as
    // the version the build bundled and once as another one. Other packages resolve through NODE_PATH.
    const root = mkdtempSync(join(tmpdir(), 'az-driver-'));
    const driverDir = join(root, 'node_modules/better-sqlite3-multiple-ciphers');
    const installed = join(REPO_ROOT, 'node_modules/better-sqlite3-multiple-ciphers');
    try {
      for (const dir of ['bin', 'runtime', 'chunks'])
        cpSync(join(REPO_ROOT, 'dist', dir), join(root, 'dist', dir), { recursive: true });
      cpSync(join(installed, 'lib'), join(driverDir, 'lib'), { recursive: true });
      cpSync(
        join(installed, 'build/Release/better_sqlite3.node'),
        join(driverDir, 'build/Release/better_sqlite3.node'),
      );
      const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
        version: string;
      };
      const run = (version: string): string[] => {
        writeFileSync(join(driverDir, 'package.json'), JSON.stringify({ ...manifest, version }));
        const result = spawnSync(
          process.execPath,
          ['--require', TRACE, join(root, 'dist/bin/az.js'), 'task', 'list', '--json'],
          {
            env: {
              ...temp.env,
              AZ_TASKS_AUTOSTART_DAEMON: 'false',
              NODE_PATH: join(REPO_ROOT, 'node_modules'),
            } as NodeJS.ProcessEnv,
            encoding: 'utf8',
          },
        );
        expect(result.status, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout)).toEqual({ tasks: [], next_cursor: null });
        return [...result.stderr.matchAll(/^LOADED (\S+)$/gm)].map(match => match[1] as string);
      };
      const addon = join(driverDir, 'build/Release/better_sqlite3.node');
      const same = run(manifest.version);
      expect(same).toContain(addon);
      expect(same.filter(file => file.includes('/node_modules/'))).toEqual([addon]);
      const other = run('99.0.0');
      expect(other).toContain(addon);
      expect(other).toContain(join(driverDir, 'lib/index.js'));
      expect(other.some(file => file.endsWith('/node_modules/bindings/bindings.js'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the code cache of the built az', () => {
  let temp: TempHome;

  beforeAll(() => {
    temp = createTempHome();
  });
  afterAll(() => temp.cleanup());

  const inProcess = (): Record<string, string | undefined> => ({
    ...temp.env,
    AZ_TASKS_AUTOSTART_DAEMON: 'false',
  });

  it('the build leaves a cache next to every file a command loads', () => {
    const { files } = loadedBy(['task', 'list', '--json'], inProcess());
    const compiled = files.filter(file => file !== AZ_BIN && file.endsWith('.js'));
    expect(compiled.length).toBeGreaterThan(5);
    for (const file of compiled) expect(existsSync(`${file}.${process.version}.cache`), file).toBe(true);
  });

  it('a corrupt, truncated or missing cache changes nothing but is written again', () => {
    // A copy of the build inside dist/ (so the SQLite driver still resolves from node_modules): the caches of
    // the real build stay untouched for the tests running beside this one.
    const copy = mkdtempSync(join(REPO_ROOT, 'dist', '.code-cache-test-'));
    try {
      for (const dir of ['bin', 'runtime', 'chunks'])
        cpSync(join(REPO_ROOT, 'dist', dir), join(copy, dir), { recursive: true });
      const az = join(copy, 'bin/az.js');
      const expected = loadedBy(['task', 'list', '--json'], inProcess()).output;
      const main = join(copy, `bin/az-main.js.${process.version}.cache`);
      const server = join(copy, `runtime/server.js.${process.version}.cache`);
      writeFileSync(main, 'not a V8 code cache');
      writeFileSync(server, readFileSync(server).subarray(0, 100));
      const chunk = readdirSync(join(copy, 'chunks')).find(name =>
        name.endsWith(`.js.${process.version}.cache`),
      );
      rmSync(join(copy, 'chunks', chunk as string));
      for (const mode of [undefined, 'off']) {
        const result = spawnSync(process.execPath, [az, 'task', 'list', '--json'], {
          env: (mode === undefined
            ? inProcess()
            : { ...inProcess(), AZ_CODE_CACHE: mode }) as NodeJS.ProcessEnv,
          encoding: 'utf8',
        });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
        expect(JSON.parse(result.stdout)).toEqual(expected);
      }
      // Rewritten by the first of those runs: real caches again, and no temporary files left behind.
      expect(statSync(main).size).toBeGreaterThan(1000);
      expect(statSync(server).size).toBeGreaterThan(1000);
      expect(readdirSync(join(copy, 'chunks')).filter(name => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a read-only install serves a user who cannot write to it, and leaves its caches as they are', () => {
    // As a global npm install owned by root: readable, not writable, by the user who runs az. As root the test
    // runs az as nobody (setpriv, util-linux); as any other user it takes the write permission off the copy.
    const copy = mkdtempSync(join(REPO_ROOT, 'dist', '.read-only-test-'));
    const home = mkdtempSync(join(tmpdir(), 'az-read-only-'));
    const asRoot = process.getuid?.() === 0;
    const walk = (dir: string, visit: (path: string, isDir: boolean) => void): void => {
      visit(dir, true);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path, visit);
        else visit(path, false);
      }
    };
    const caches = (): string[] => {
      const found: string[] = [];
      walk(copy, (path, isDir) => {
        if (!isDir && /\.cache$|\.tmp$/.test(path)) found.push(`${path} ${statSync(path).size}`);
      });
      return found.sort();
    };
    try {
      for (const dir of ['bin', 'runtime', 'chunks'])
        cpSync(join(REPO_ROOT, 'dist', dir), join(copy, dir), { recursive: true });
      // One cache V8 rejects and one missing: both would be written again, if the install were writable.
      writeFileSync(join(copy, `bin/az-main.js.${process.version}.cache`), 'not a V8 code cache');
      const chunk = readdirSync(join(copy, 'chunks')).find(name =>
        name.endsWith(`.js.${process.version}.cache`),
      );
      rmSync(join(copy, 'chunks', chunk as string));
      const before = caches();
      if (asRoot) {
        chmodSync(copy, 0o755);
        chownSync(home, 65534, 65534);
      } else {
        walk(copy, (path, isDir) => chmodSync(path, isDir ? 0o555 : 0o444));
      }
      const env = {
        PATH: process.env.PATH,
        HOME: home,
        AZ_HOME: join(home, 'az'),
        AZ_TASKS_AUTOSTART_DAEMON: 'false',
      };
      const az = (...args: string[]) => {
        const command = [process.execPath, join(copy, 'bin/az.js'), ...args];
        const result = asRoot
          ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...command], {
              env,
              cwd: home,
              encoding: 'utf8',
            })
          : spawnSync(command[0] as string, command.slice(1), { env, cwd: home, encoding: 'utf8' });
        expect(result.error).toBeUndefined();
        expect(result.status, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
        return result.stdout;
      };
      az('db', 'init');
      az('task', 'create', 'read-only install', '--no-start', '--json');
      const listed = JSON.parse(az('task', 'list', '--json')) as { tasks: { title: string }[] };
      expect(listed.tasks.map(task => task.title)).toEqual(['read-only install']);
      expect(caches()).toEqual(before);
    } finally {
      if (!asRoot) walk(copy, (path, isDir) => chmodSync(path, isDir ? 0o755 : 0o644));
      rmSync(copy, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
});
