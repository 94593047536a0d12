// Bundles the dashboard (tui/ with protocol/, the MCP client SDK, zod, Ink and React) into dist/tui/, which the
// bundled `az` (scripts/bundle-cli.mjs) loads on demand as ../tui/index.js. Why: start-up and frame time, both
// measured in bench/dashboard.js. One self-contained bundle loads faster than the same modules from
// node_modules (about 10% less CPU to the first frame than keeping zod and the SDK external), React runs its
// production build, and Ink's output cache is kept across frames (below).
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyAjv } from './exact-patches.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// tsc also emitted tui/ module by module (the CLI imports its entry); the bundle replaces all of it.
rmSync(resolve(root, 'dist/tui'), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  // Two entries split into chunks: the entry (connection and store) loads first, Ink and React (render.js)
  // while the first requests are in flight.
  entryPoints: ['tui/index.tsx', 'tui/render.tsx'],
  outdir: 'dist/tui',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Ink loads react-devtools-core only when DEV=true; it is not installed, so the import is stubbed out.
  alias: { 'react-devtools-core': './scripts/devtools-stub.mjs' },
  plugins: [
    lazyAjv,
    {
      // Ink tokenises every line of the screen again for every frame: its caches of styled characters and
      // text widths live in the Output object it builds per frame. Keeping one cache across frames (pure
      // memoisation) cut Ink's render time about threefold in bench/dashboard.js. It is bounded (a few
      // screens of lines, then it starts over) so a dashboard left open for days does not grow. The build
      // fails if Ink's code changes, so an upgrade cannot drop the patch silently.
      name: 'ink-shared-output-cache',
      setup(builder) {
        builder.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async args => {
          const source = await readFile(args.path, 'utf8');
          const patched = source.replace('caches = new OutputCaches();', 'caches = sharedOutputCaches();');
          if (patched === source) {
            throw new Error(
              'ink/build/output.js changed: review the shared output cache in scripts/bundle-dashboard.mjs',
            );
          }
          const shared = `
let sharedCaches;
function sharedOutputCaches() {
  if (!sharedCaches || sharedCaches.styledChars.size + sharedCaches.widths.size > 2000) {
    sharedCaches = new OutputCaches();
  }
  return sharedCaches;
}
`;
          return { contents: patched + shared, loader: 'js' };
        });
      },
    },
  ],
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __azCreateRequire } from 'node:module'; const require = __azCreateRequire(import.meta.url);",
  },
});
