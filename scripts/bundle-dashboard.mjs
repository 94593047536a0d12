// Bundles the dashboard (tui/ with protocol/, the MCP client SDK, zod, Ink and React) into dist/tui/, which the
// bundled `az` (scripts/bundle-cli.mjs) loads on demand as ../tui/index.js. Why: start-up and frame time, both
// measured in bench/dashboard.js. Self-contained bundles load faster than the same modules from node_modules
// (about 10% less CPU to the first frame than keeping zod and the SDK external), React runs its production
// build, and Ink's output cache is kept across frames (below). Three CommonJS bundles, so that the launcher
// (scripts/launcher.cjs) gives each a V8 code cache like the rest of `az`, loaded one after the other:
//  - dist/tui/index.js, the entry (connection, store, the stateless first calls, zod);
//  - dist/tui/render.js (Ink, React, the views), loaded while the first requests are in flight;
//  - dist/tui/sdk-connection.js (the MCP client SDK), loaded after the first frame for live updates.
// They share nothing at run time but plain data (the store is passed to the views; errors are recognised by
// name and code), so the few small modules more than one uses (theme, formatting, errors) are simply in each.
// Yoga, Ink's layout engine, is WebAssembly that its package loads with a top-level await, which CommonJS
// cannot hold: the entry bundles Yoga's loader and runs it before the renderer loads (tui/layout-engine.ts),
// and the renderer's imports of Yoga read what it loaded.
import { readFile } from 'node:fs/promises';
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRELUDE } from './cjs-prelude.mjs';
import { exactPatches, lazyAjv } from './exact-patches.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// tsc also emitted tui/ module by module (the CLI imports its entry); the bundles replace all of it.
rmSync(resolve(root, 'dist/tui'), { recursive: true, force: true });

const YOGA = "globalThis[Symbol.for('az-os.yoga')]";
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"', 'import.meta': '__azImportMeta' },
  banner: { js: PRELUDE },
  // The launcher compiles these files through vm.Script, which cannot import(): see scripts/cjs-prelude.mjs.
  supported: { 'dynamic-import': false },
};

// The entry. The renderer stays a file of its own (required when the dashboard first draws).
await build({
  ...common,
  entryPoints: ['tui/index.tsx'],
  outfile: 'dist/tui/index.js',
  plugins: [
    lazyAjv,
    // Emscripten's loader, in Node, fetches its own data: URL to decode the base64 WebAssembly: that loads
    // Node's fetch (undici, ~12 ms) for nothing. Decoded with Buffer instead; the bytes are the same.
    exactPatches(
      'yoga-without-fetch',
      /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
      [
        ['function ya(){return w||"function"!=typeof fetch?', 'function ya(){return w||!0?'],
        [
          'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c',
          'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))',
        ],
      ],
    ),
    {
      name: 'renderer-apart',
      setup(builder) {
        builder.onResolve({ filter: /^\.\/render\.js$/ }, () => ({ path: './render.js', external: true }));
        // The SDK session (tui/data/sdk-connection.ts) is loaded after the first frame: a file of its own.
        builder.onResolve({ filter: /^\.\/sdk-connection\.js$/ }, () => ({
          path: './sdk-connection.js',
          external: true,
        }));
        builder.onLoad({ filter: /[\\/]tui[\\/]layout-engine\.ts$/ }, () => ({
          contents:
            "import { loadYoga } from 'yoga-layout/load';\n" +
            `export async function loadLayoutEngine() { ${YOGA} ??= await loadYoga(); }`,
          loader: 'js',
          resolveDir: resolve(root, 'tui'),
        }));
      },
    },
  ],
});
writeFileSync(
  resolve(root, 'dist/tui/package.json'),
  `${JSON.stringify({ type: 'commonjs', description: 'CommonJS: see scripts/bundle-dashboard.mjs' })}\n`,
);

// The SDK session, loaded after the first frame.
await build({
  ...common,
  entryPoints: ['tui/data/sdk-connection.ts'],
  outfile: 'dist/tui/sdk-connection.js',
  plugins: [lazyAjv],
});

// The renderer.
await build({
  ...common,
  entryPoints: ['tui/render.tsx'],
  outfile: 'dist/tui/render.js',
  // Ink loads react-devtools-core only when DEV=true; it is not installed, so the import is stubbed out.
  alias: { 'react-devtools-core': './scripts/devtools-stub.mjs' },
  plugins: [
    {
      name: 'yoga-loaded-by-the-entry',
      setup(builder) {
        builder.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-layout', namespace: 'az-yoga' }));
        builder.onLoad({ filter: /.*/, namespace: 'az-yoga' }, () => ({
          contents:
            `if (!${YOGA}) throw new Error('the dashboard renderer needs loadLayoutEngine() first (tui/layout-engine.ts)');\n` +
            `module.exports = ${YOGA};`,
          loader: 'js',
        }));
      },
    },
    // Ink's development mode (DEV=true: React DevTools) awaits at the top of a module, which CommonJS cannot;
    // react-devtools-core is stubbed out of this bundle anyway, so that mode does nothing here.
    exactPatches('ink-no-top-level-await', /[\\/]ink[\\/]build[\\/]reconciler\.js$/, [
      ["        await import('./devtools.js');", "        void import('./devtools.js');"],
      [
        'const packageJson = isDev()\n    ? await loadPackageJson()\n    : { name: undefined, version: undefined };',
        'const packageJson = { name: undefined, version: undefined };',
      ],
    ]),
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
});
