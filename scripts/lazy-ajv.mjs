// An esbuild plugin for both bundles (scripts/bundle-cli.mjs, scripts/bundle-dashboard.mjs): the MCP SDK's
// AJV provider evaluates ajv, its 2019-09 and 2020-12 dialects and ajv-formats when it is imported — some
// 60 CommonJS modules, and a V8 code cache of 400 KB for the bundled server — although its engines are
// built lazily, on the first JSON Schema validation (SDK comment: "constructing the provider … does not pay
// the ajv + ajv-formats instantiation cost"). An in-process `az` command or the dashboard's first frame never
// validates one. The patch defers evaluating those modules to that first use, with the same exports.
// Exact-text: if the SDK changes, the build fails here instead of silently shipping something else.
import { readFileSync } from 'node:fs';

const PATCHES = [
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
  // The SDK re-exports the draft-07 class for `new Ajv(options)`; AZ-OS does not use it.
  [
    'const Ajv = import_ajv.Ajv;',
    'const Ajv = function Ajv(...args) { return new import_ajv.Ajv(...args); };',
  ],
];

export const lazyAjv = {
  name: 'lazy-ajv',
  setup(builder) {
    builder.onLoad(
      { filter: /[\\/]@modelcontextprotocol[\\/](server|client)[\\/]dist[\\/]ajvProvider-[^\\/]+\.mjs$/ },
      args => {
        let text = readFileSync(args.path, 'utf8');
        for (const [from, to] of PATCHES) {
          if (!text.includes(from)) {
            throw new Error(
              `the MCP SDK changed: ${args.path} no longer holds ${JSON.stringify(from.slice(0, 40))}`,
            );
          }
          text = text.replace(from, to);
        }
        return { contents: text, loader: 'js' };
      },
    );
  },
};
