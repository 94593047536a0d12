// Bundles, with esbuild, what tsc built into dist/, in one code-split build:
//  - dist/bin/az.js: the `az` entry (dist/cli/index.js): meow, zod, the contracts, the command table;
//  - dist/runtime/server.js: the server's public entry (dist/server/index.js), loaded by `az` only when it runs a
//    server itself (serve, mcp, or in-process when no daemon runs);
//  - dist/chunks/: everything else, loaded through dynamic imports when a command, or a server feature (a model
//    call, a shell command, memory, checkpoints, the HTTP daemon), first needs it.
// Why: start-up. Resolving and compiling ~1,000 small ESM files costs far more than parsing a few bundles, and
// parsing code a command never runs costs too; `az task list` is measured against bare `node -e 0` in
// bench/core.js, and Agent Zero starts `az mcp` per call. test/cli/bundle.test.ts pins what loads.
// The dashboard has its own bundle (scripts/bundle-dashboard.mjs, dist/tui).
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';

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

const shared = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  banner: {
    js: "import{createRequire as __azRequire}from'node:module';const require=__azRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

/**
 * meow evaluates normalize-package-data (semver, the SPDX license lists, hosted-git-info) when it is imported,
 * although that code only runs when meow reads a package.json itself — which az never lets it do (it passes
 * `pkg`). Deferring that one module's evaluation to its first use saves ~15 ms on every command. The patch is
 * exact-text: if meow changes, the build fails here instead of silently shipping something else.
 */
const MEOW_EAGER_NORMALIZE =
  'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
const MEOW_LAZY_NORMALIZE =
  'let normalizeExports;\nconst normalizePackageData = (...args) => getDefaultExportFromCjs((normalizeExports ??= requireNormalize()))(...args);';
const lazyMeowNormalize = {
  name: 'lazy-meow-normalize',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]meow[\\/]build[\\/]dependencies\.js$/ }, args => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(MEOW_EAGER_NORMALIZE)) {
        throw new Error(`meow changed: ${args.path} no longer holds the code lazy-meow-normalize patches`);
      }
      return { contents: text.replace(MEOW_EAGER_NORMALIZE, MEOW_LAZY_NORMALIZE), loader: 'js' };
    });
  },
};

rmSync('dist/bin', { recursive: true, force: true });
rmSync('dist/runtime', { recursive: true, force: true });
rmSync('dist/chunks', { recursive: true, force: true });
rmSync('dist/cli-chunks', { recursive: true, force: true });
// One build for both entries, code-split: the CLI and the server share one copy of zod, the MCP SDK's core
// and the contracts (an in-process command loads each once), and what a command does not run stays unparsed —
// `az task list` over HTTP loads meow, zod, the contracts and the stateless client, not the SDK client or the
// server; in-process commands do not load the HTTP daemon's express stack.
await build({
  ...shared,
  entryPoints: { 'bin/az': 'dist/cli/index.js', 'runtime/server': 'dist/server/index.js' },
  outdir: 'dist',
  splitting: true,
  // dist/chunks is a sibling of dist/bin and dist/runtime: '../tui/index.js' means the same file from all three.
  chunkNames: 'chunks/[name]-[hash]',
  // The native SQLite driver loads its .node file from its own package.
  external: ['better-sqlite3-multiple-ciphers'],
  plugins: [dashboardOnDemand, lazyMeowNormalize],
});
chmodSync('dist/bin/az.js', 0o755);
