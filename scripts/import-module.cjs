// dist/bin/import-module.js: import() for the bundled CommonJS files (see scripts/cjs-prelude.mjs). Compiled by
// Node itself, not through the launcher's code cache, so that its import() works.
'use strict';
module.exports = url => import(url);
