// Bundles the `az` entry (dist/cli/index.js, built by tsc) into dist/bin/ with esbuild.
// Why: start-up. Loading ~300 small ESM files (meow, zod, the MCP client SDK) costs more than parsing one
// bundle; `az task list` is measured against bare `node -e 0` in bench/cli-startup.js. The server
// (dist/server/index.js) and the dashboard (dist/tui/index.js) stay separate and load on demand.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist/bin', { recursive: true, force: true });
await build({
  entryPoints: { az: 'dist/cli/index.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bin',
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  sourcemap: 'linked',
  // dist/bin/ and dist/cli/ are siblings, so these relative imports resolve to dist/server and dist/tui as is.
  external: ['../server/index.js', '../../server/index.js', '../tui/index.js', '../../tui/index.js'],
  banner: {
    js: "import{createRequire as __azRequire}from'node:module';const require=__azRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync('dist/bin/az.js', 0o755);
