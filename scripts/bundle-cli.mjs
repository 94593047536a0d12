// Bundles, with esbuild, what tsc built into dist/, in one code-split build turned into CommonJS files:
//  - dist/bin/az.js: the launcher (scripts/launcher.cjs: the V8 code cache), which runs
//  - dist/bin/az-main.js: the `az` entry (dist/cli/index.js): meow, the command table, the error mapping;
//  - dist/runtime/server.js: the server's public entry (dist/server/index.js), loaded by `az` only when it runs a
//    server itself (serve, mcp, or in-process when no daemon runs);
//  - dist/chunks/: everything else, loaded when a command, or a server feature (a model call, a shell command,
//    memory, checkpoints, the HTTP daemon), first needs it.
// Why: start-up. Resolving and compiling ~1,000 small ESM files costs far more than a few bundles, compiling
// code a command never runs costs too, and compiling at all costs more than reading V8's cache; `az task list`
// is measured against bare `node -e 0` in bench/core.js, and Agent Zero starts `az mcp` per call.
// test/cli/bundle.test.ts pins what loads. The dashboard has its own bundle (scripts/bundle-dashboard.mjs).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PRELUDE } from './cjs-prelude.mjs';
import { lazyAjv, lazyMeow } from './exact-patches.mjs';
import { lazySdkSchemas } from './lazy-sdk-schemas.mjs';

/** Keeps the dashboard out of this build: it has its own bundle (dist/tui), loaded only by `az dashboard`. */
const dashboardOnDemand = {
  name: 'dashboard-on-demand',
  setup(builder) {
    builder.onResolve({ filter: /(^|\/)tui\/index\.js$/ }, () => ({
      path: '../tui/index.js',
      external: true,
    }));
  },
};

/**
 * The digest of the MCP contract's sources (protocol/), as protocol/version.ts's CONTRACTS_DIGEST: a server
 * writes it into server.json, and a CLI that finds its own there does not check that server's results again.
 */
function contractsDigest() {
  const hash = createHash('sha256');
  const files = readdirSync('protocol', { recursive: true })
    .map(String)
    .filter(name => name.endsWith('.ts'))
    .sort();
  for (const name of files) hash.update(`${name}\0${readFileSync(join('protocol', name), 'utf8')}\0`);
  return hash.digest('hex').slice(0, 32);
}

const OUTPUT_DIRS = ['bin', 'runtime', 'chunks'];
for (const dir of [...OUTPUT_DIRS, 'cli-chunks', '.bundle-esm'])
  rmSync(`dist/${dir}`, { recursive: true, force: true });

// Step 1, ESM: one build for both entries, code-split: the CLI and the server share one copy of zod, the MCP
// SDK's core and the contracts (an in-process command loads each once), and what a command does not run stays
// unloaded — `az task list` over HTTP loads meow, zod, the contracts and the stateless client, not the SDK
// client or the server; in-process commands do not load the HTTP daemon's express stack.
const ESM = 'dist/.bundle-esm';
await build({
  entryPoints: { 'bin/az-main': 'dist/cli/index.js', 'runtime/server': 'dist/server/index.js' },
  outdir: ESM,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  splitting: true,
  // dist/chunks is a sibling of dist/bin and dist/runtime: '../tui/index.js' means the same file from all three.
  chunkNames: 'chunks/[name]-[hash]',
  // The SQLite driver's JavaScript is bundled; server/store/database.ts loads its addon from the installed
  // package when that is the bundled version (else the installed package whole). `bindings`, its addon finder,
  // is only reached through the installed package.
  external: ['bindings'],
  define: {
    AZ_CONTRACTS_DIGEST: JSON.stringify(contractsDigest()),
    AZ_SQLITE_DRIVER_VERSION: JSON.stringify(
      JSON.parse(readFileSync('node_modules/better-sqlite3-multiple-ciphers/package.json', 'utf8')).version,
    ),
  },
  logLevel: 'warning',
  plugins: [dashboardOnDemand, lazyMeow, lazyAjv, lazySdkSchemas],
});

// Step 2, CommonJS: each file of step 1 on its own, with every import left as it is (a file of this build, a
// Node built-in, the SQLite driver, the dashboard). Node 20 caches no compiled code for ES modules, but
// vm.Script takes a V8 code cache for CommonJS: scripts/launcher.cjs (dist/bin/az.js) gives these files one.
// esbuild follows each file's source map, so the maps still name the original sources.
//
// A script compiled through vm.Script cannot import() (Node 20 needs --experimental-vm-modules for that), so
// this step also turns every dynamic import into a lazy require() — the dashboard's entry (dist/tui/index.js)
// is CommonJS too; the prelude (scripts/cjs-prelude.mjs) gives each file `import.meta`.
// Without "type": "module" around them, esbuild gives these files the interop of bundled ES modules (a file of
// this build marks itself __esModule and keeps its own default export) rather than Node's (default = the
// whole exports object), which would change what `(await import('./x.js')).default` means.
writeFileSync(join(ESM, 'package.json'), '{}\n');
const esmFiles = readdirSync(ESM, { recursive: true })
  .map(String)
  .filter(name => name.endsWith('.js'));
await Promise.all(
  esmFiles.map(name =>
    build({
      entryPoints: [join(ESM, name)],
      outfile: join('dist', name),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      minify: true,
      sourcemap: 'linked',
      logLevel: 'warning',
      define: { 'import.meta': '__azImportMeta' },
      banner: { js: PRELUDE },
      supported: { 'dynamic-import': false },
      plugins: [
        {
          name: 'each-file-alone',
          setup(builder) {
            builder.onResolve({ filter: /.*/ }, args =>
              args.kind === 'entry-point' ? undefined : { path: args.path, external: true },
            );
            // A hashbang is only valid at the very start of a script, and the launcher compiles this one
            // wrapped in a function: it becomes a comment (same length, so the source map still fits).
            builder.onLoad({ filter: /\.js$/ }, args => {
              const text = readFileSync(args.path, 'utf8');
              return {
                contents: text.startsWith('#!') ? `//${text.slice(2)}` : text,
                loader: 'js',
                resolveDir: dirname(args.path),
              };
            });
          },
        },
      ],
    }),
  ),
);
rmSync(ESM, { recursive: true, force: true });
for (const dir of OUTPUT_DIRS) {
  writeFileSync(
    `dist/${dir}/package.json`,
    `${JSON.stringify({ type: 'commonjs', description: 'CommonJS: see scripts/bundle-cli.mjs' })}\n`,
  );
}
copyFileSync('scripts/launcher.cjs', 'dist/bin/az.js');
chmodSync('dist/bin/az.js', 0o755);
