// Bundles the `az` entry (dist/cli/index.js, built by tsc) into one file, dist/bin/az.js, with esbuild.
// Why: start-up. Loading ~300 small ESM files (meow, zod, the MCP client SDK) costs more than parsing one
// bundle; `az task list` is measured against bare `node -e 0` in bench/core.js. The server (dist/server) and
// the dashboard (dist/tui) stay separate and load on demand through their entry modules.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';

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
await build({
  entryPoints: { az: 'dist/cli/index.js' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bin',
  minify: true,
  sourcemap: 'linked',
  plugins: [onDemandEntries, lazyMeowNormalize],
  banner: {
    js: "import{createRequire as __azRequire}from'node:module';const require=__azRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync('dist/bin/az.js', 0o755);
