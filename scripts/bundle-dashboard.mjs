// Bundles the dashboard (tui/ with Ink and React) into dist/tui/, replacing tsc's many small modules with two
// entries and their chunks: `az dashboard` starts measurably faster (see bench/dashboard.js), and React runs its
// production build. protocol/, zod and the MCP SDK stay external so the CLI and the dashboard share one copy
// of each (one AppError class, one SDK).
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    {
      // Ink tokenises every line of the screen again for every frame: its caches of styled characters and
      // text widths live in the Output object it builds per frame. Keeping one cache across frames (pure
      // memoisation, bounded) cut Ink's render time about threefold in bench/dashboard.js. The build fails if
      // Ink's code changes, so an upgrade cannot drop the patch silently.
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
  if (!sharedCaches || sharedCaches.styledChars.size + sharedCaches.widths.size > 20000) {
    sharedCaches = new OutputCaches();
  }
  return sharedCaches;
}
`;
          return { contents: patched + shared, loader: 'js' };
        });
      },
    },
    {
      name: 'shared-externals',
      setup(builder) {
        // protocol/ is imported as dist/protocol/*.js, relative to the bundle in dist/tui/.
        builder.onResolve({ filter: /\/protocol\// }, args => {
          const target = resolve(args.resolveDir, args.path);
          const fromProtocol = relative(resolve(root, 'protocol'), target);
          if (fromProtocol.startsWith('..')) return undefined;
          return { path: `../protocol/${fromProtocol.split('\\').join('/')}`, external: true };
        });
        builder.onResolve({ filter: /^(zod|@modelcontextprotocol\/client)(\/|$)/ }, args => ({
          path: args.path,
          external: true,
        }));
      },
    },
  ],
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __azCreateRequire } from 'node:module'; const require = __azCreateRequire(import.meta.url);",
  },
});
