// Bundles the `az` entry (dist/cli/index.js, built by tsc) into one file, dist/bin/az.js, with esbuild.
// Why: start-up. Loading ~300 small ESM files (meow, zod, the MCP client SDK) costs more than parsing one
// bundle; `az task list` is measured against bare `node -e 0` in bench/core.js. The server (dist/server) and
// the dashboard (dist/tui) stay separate and load on demand through their entry modules.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

/** Keeps the server and dashboard entries out of the bundle, imported relative to dist/bin/az.js. */
const onDemandEntries = {
  name: 'on-demand-entries',
  setup(builder) {
    builder.onResolve({ filter: /(^|\/)(server|tui)\/index\.js$/ }, args => {
      const area = /(server|tui)\/index\.js$/.exec(args.path)[1];
      return { path: `../${area}/index.js`, external: true };
    });
  },
};

rmSync('dist/bin', { recursive: true, force: true });
await build({
  entryPoints: { az: 'dist/cli/index.js' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bin',
  minify: true,
  sourcemap: 'linked',
  plugins: [onDemandEntries],
  banner: {
    js: "import{createRequire as __azRequire}from'node:module';const require=__azRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync('dist/bin/az.js', 0o755);
