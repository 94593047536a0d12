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
  // Every file of the bundle sits in dist/bin/ (no chunk subfolder), so one relative path to dist/server and
  // dist/tui is right from all of them, wherever esbuild puts the code that imports them.
  chunkNames: '[name]-[hash]',
  minify: true,
  sourcemap: 'linked',
  plugins: [
    {
      // cli/index.ts imports '../server/index.js', cli/commands/*.ts '../../server/index.js': both become
      // '../server/index.js' (from dist/bin/, that is dist/server/index.js), left to load on demand.
      name: 'server-and-tui-entries',
      setup(context) {
        context.onResolve({ filter: /^(\.\.\/)+(server|tui)\/index\.js$/ }, args => ({
          path: `../${args.path.includes('tui/') ? 'tui' : 'server'}/index.js`,
          external: true,
        }));
      },
    },
  ],
  banner: {
    js: "import{createRequire as __azRequire}from'node:module';const require=__azRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync('dist/bin/az.js', 0o755);
