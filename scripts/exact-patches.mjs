// esbuild plugins that patch a dependency's file by exact text, for the bundles (scripts/bundle-cli.mjs,
// scripts/bundle-dashboard.mjs). Each patch changes only when code runs, never what it does, and each names
// its reason. If the dependency changes, the build fails here instead of silently shipping something else.
import { readFileSync } from 'node:fs';

/** Applies `patches` ([from, to] pairs) to `text` of `path`; each must match, or `name` fails the build. */
export function applyExactPatches(name, path, text, patches) {
  let patched = text;
  for (const [from, to] of patches) {
    if (!patched.includes(from)) {
      throw new Error(`${name}: ${path} changed and no longer holds ${JSON.stringify(from.slice(0, 40))}`);
    }
    patched = patched.replace(from, to);
  }
  return patched;
}

/** A plugin that applies `patches` ([from, to] pairs, each required to match) to the files `filter` matches. */
export function exactPatches(name, filter, patches) {
  return {
    name,
    setup(builder) {
      builder.onLoad({ filter }, args => ({
        contents: applyExactPatches(name, args.path, readFileSync(args.path, 'utf8'), patches),
        loader: 'js',
      }));
    },
  };
}

/**
 * meow's bundled dependencies, as imported:
 *  - it evaluates normalize-package-data (semver, the SPDX license lists, hosted-git-info), although that code
 *    only runs when meow reads a package.json itself — which az never lets it do (it passes `pkg`): deferred to
 *    its first use (~15 ms on every command);
 *  - a leftover `promisify(execFile);` whose result nothing uses loads node:child_process (and with it net and
 *    the stream operators) on every command: removed with its import.
 */
export const lazyMeow = exactPatches('lazy-meow', /[\\/]meow[\\/]build[\\/]dependencies\.js$/, [
  [
    'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
    'let normalizeExports;\nconst normalizePackageData = (...args) => getDefaultExportFromCjs((normalizeExports ??= requireNormalize()))(...args);',
  ],
  ["import { execFile } from 'node:child_process';\n", ''],
  ['promisify(execFile);\n', ''],
]);

/**
 * The MCP SDK's AJV provider evaluates ajv, its 2019-09 and 2020-12 dialects and ajv-formats when it is
 * imported — some 60 CommonJS modules, and a V8 code cache of 400 KB for the bundled server — although its
 * engines are built lazily, on the first JSON Schema validation (SDK comment: "constructing the provider … does
 * not pay the ajv + ajv-formats instantiation cost"). An in-process `az` command or the dashboard's first frame
 * never validates one. Deferred to that first use, with the same exports (the SDK's re-exported draft-07 `Ajv`
 * class, which AZ-OS does not use, becomes a function that constructs one).
 */
export const lazyAjv = exactPatches(
  'lazy-ajv',
  /[\\/]@modelcontextprotocol[\\/](server|client)[\\/]dist[\\/]ajvProvider-[^\\/]+\.mjs$/,
  [
    [
      'var import_ajv = require_ajv();\nvar import__2019 = require__2019();\nvar import__2020 = require__2020();\nvar import_dist = /* @__PURE__ */ __toESM(require_dist(), 1);',
      'var import_ajv = { get Ajv() { return require_ajv().Ajv; } };\n' +
        'var import__2019 = { get Ajv2019() { return require__2019().Ajv2019; } };\n' +
        'var import__2020 = { get Ajv2020() { return require__2020().Ajv2020; } };\n' +
        'var import_dist = { get default() { return __toESM(require_dist(), 1).default; } };',
    ],
    [
      'const addFormats = import_dist.default;',
      'const addFormats = (...args) => import_dist.default(...args);',
    ],
    [
      'const Ajv = import_ajv.Ajv;',
      'const Ajv = function Ajv(...args) { return new import_ajv.Ajv(...args); };',
    ],
  ],
);
