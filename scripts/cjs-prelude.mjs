// What every CommonJS file of the bundles (scripts/bundle-cli.mjs, scripts/bundle-dashboard.mjs) starts with:
// `import.meta` for code written as ES modules (esbuild's `define` maps `import.meta` to `__azImportMeta`).
// These files have no import(): the launcher (scripts/launcher.cjs) compiles them through vm.Script, which cannot
// run one without a Node flag, so the build turns each import() into a require (esbuild's
// `supported: { 'dynamic-import': false }`). Every package they load therefore has a CommonJS entry, and code
// that loads a package found at run time does so with require too (server/memory/embedders/local-model-embedder.ts).
export const PRELUDE =
  '"use strict";var __azImportMeta={get url(){return require("node:url").pathToFileURL(__filename).href},' +
  'filename:__filename,dirname:__dirname,' +
  'resolve:specifier=>require("node:url").pathToFileURL(require.resolve(specifier)).href};';
