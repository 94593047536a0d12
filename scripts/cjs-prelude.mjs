// What every CommonJS file of the bundles (scripts/bundle-cli.mjs, scripts/bundle-dashboard.mjs) starts with:
//  - `import.meta` for code written as ES modules (esbuild's `define` maps `import.meta` to `__azImportMeta`);
//  - `__azIm(specifier)`: import() of an ES module, relative to this file (a bare specifier: a package). The launcher (scripts/launcher.cjs)
//    compiles these files through vm.Script, which cannot import() without a Node flag, so the import runs in
//    dist/bin/import-module.js, which Node compiles itself. Written `__azIm(` in place of `import(`: the same
//    length, so source maps still fit.
export const PRELUDE =
  '"use strict";var __azImportMeta={get url(){return require("node:url").pathToFileURL(__filename).href},' +
  'filename:__filename,dirname:__dirname,' +
  'resolve:specifier=>require("node:url").pathToFileURL(require.resolve(specifier)).href};' +
  'var __azIm=specifier=>require(require("node:path").join(__dirname,"..","bin","import-module.js"))' +
  '(specifier.startsWith(".")?require("node:url").pathToFileURL(require("node:path").resolve(__dirname,specifier)).href:specifier);';

/** `import("<specifier>")` → `__azIm("<specifier>")` in built code (same length). */
export const viaImportModule = (code, specifier) =>
  code.replaceAll(`import(${JSON.stringify(specifier)})`, `__azIm(${JSON.stringify(specifier)})`);
