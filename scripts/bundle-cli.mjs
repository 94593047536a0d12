// Bundles, with esbuild, what tsc built into dist/:
//  - dist/bin/az.js: the `az` entry (dist/cli/index.js) — meow, zod, the MCP client SDK, the commands;
//  - dist/runtime/server.js: the server's public entry (dist/server/index.js) with its dependencies, loaded by
//    `az` only when it runs a server itself (serve, mcp, or in-process when no daemon runs).
// Why: start-up. Resolving and compiling ~1,000 small ESM files costs far more than parsing two bundles;
// `az task list` is measured against bare `node -e 0` in bench/core.js, and Agent Zero starts `az mcp` per call.
// The dashboard has its own bundle (scripts/bundle-dashboard.mjs, dist/tui).
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';

/** Keeps the server and dashboard entries out of the az bundle, imported relative to dist/bin/az.js. */
const onDemandEntries = {
  name: 'on-demand-entries',
  setup(builder) {
    builder.onResolve({ filter: /(^|\/)(server|tui)\/index\.js$/ }, args => {
      const area = /(server|tui)\/index\.js$/.exec(args.path)[1];
      return { path: area === 'server' ? '../runtime/server.js' : '../tui/index.js', external: true };
    });
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
rmSync('dist/cli-chunks', { recursive: true, force: true });
rmSync('dist/runtime', { recursive: true, force: true });
await build({
  ...shared,
  entryPoints: { 'bin/az': 'dist/cli/index.js' },
  outdir: 'dist',
  // Commands, the SDK client and the rest load through dynamic imports: as chunks, `az task list` parses only
  // what it runs (meow, zod, the contracts and the stateless client), not the SDK it may never need.
  splitting: true,
  // Chunks sit in dist/cli-chunks, a sibling of dist/bin: '../runtime/server.js' means the same file from both.
  chunkNames: 'cli-chunks/[name]-[hash]',
  plugins: [onDemandEntries, lazyMeowNormalize],
});
await build({
  ...shared,
  entryPoints: { server: 'dist/server/index.js' },
  outdir: 'dist/runtime',
  // What loads through dynamic imports (the HTTP daemon with express, …) becomes chunks: in-process commands
  // and `az mcp` do not parse them.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // The native SQLite driver loads its .node file from its own package.
  external: ['better-sqlite3-multiple-ciphers'],
});
chmodSync('dist/bin/az.js', 0o755);
