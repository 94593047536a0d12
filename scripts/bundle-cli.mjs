// Bundles the `az` entry (dist/cli/index.js, built by tsc) into dist/bin/ with esbuild.
// Why: start-up. Loading ~300 small ESM files (meow, zod, the MCP client SDK) costs more than parsing one
// bundle; `az task list` is measured against bare `node -e 0` in bench/cli-startup.js. The server
// (dist/server/index.js) and the dashboard (dist/tui/index.js) stay separate and load on demand.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

// The CLI reaches the server and the dashboard only through their entries, loaded on demand and never bundled.
// Sources spell them '../server/index.js' (cli/) or '../../server/index.js' (cli/commands/); in the bundle
// every file sits in dist/bin/, so both become '../server/index.js' (dist/server/index.js).
const entriesBesideBin = {
  name: 'entries-beside-bin',
  setup(builder) {
    builder.onResolve({ filter: /^(\.\.\/)+(server|tui)\/index\.js$/ }, args => ({
      path: `../${args.path.replace(/^(\.\.\/)+/, '')}`,
      external: true,
    }));
  },
};

rmSync('dist/bin', { recursive: true, force: true });
await build({
  entryPoints: { az: 'dist/cli/index.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bin',
  // Chunks sit beside az.js: the server and dashboard entries are then '../server/index.js' from every file.
  chunkNames: '[name]-[hash]',
  plugins: [entriesBesideBin],
  minify: true,
  sourcemap: 'linked',
  banner: {
    js: "import{createRequire as __azRequire}from'node:module';const require=__azRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync('dist/bin/az.js', 0o755);
