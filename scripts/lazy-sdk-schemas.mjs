// An esbuild plugin for the bundled `az` (scripts/bundle-cli.mjs): the MCP SDK's protocol schemas, built on
// first use instead of when the SDK is imported or first speaks.
//
// @modelcontextprotocol/core defines the protocol's ~180 zod schemas (requests, results, capabilities, OAuth
// metadata) as module-level constants, and the SDK server builds each protocol era's ~140 wire schemas as a
// whole on the era's first message, so every process that imports the SDK server built all of them to check
// the few dozen its messages use (measured with bench/core.js: ~11 ms of an in-process `az task list`, with the
// garbage collection of what they allocate). Here each definition `const XSchema = <zod expression>;` becomes
// `const XSchema = __azLazySchema(() => (<zod expression>));`, a stand-in that builds the schema the first time
// anything touches it and from then on forwards every operation to it. What runs is unchanged — the same
// expressions, the same schemas, built in dependency order on demand — only when. The stand-in is one object
// per schema, shared by every reference, so identity comparisons between references hold; metadata set with
// .describe()/.meta() is carried over to it. One difference remains: zod's internals hold the built schema,
// not the stand-in, so bookkeeping keyed by the schema object can see two objects. That is why z.lazy
// definitions (recursive, and building nothing until used anyway) are left alone: zod's JSON Schema conversion
// of a recursive schema is keyed that way. AZ-OS checks messages with these schemas and converts none of them
// to JSON Schema (test/cli/lazy-sdk-schemas.test.ts compares both).
//
// The definitions are found with TypeScript's parser (`const …Schema = …` statements at the top level, or in the
// named builder functions) and counted; if the SDK's files no longer hold what this expects, the build fails
// here rather than shipping something else.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { applyExactPatches } from './exact-patches.mjs';

const HELPER = `
/* az-os (scripts/lazy-sdk-schemas.mjs): each schema is built on first use. */
function __azLazySchema(build) {
  let real;
  const target = {};
  const resolve = () => {
    if (real === undefined) {
      real = build();
      // The stand-in's own shape follows the schema's, so the Proxy invariants hold for every trap.
      Object.defineProperties(target, Object.getOwnPropertyDescriptors(real));
      Object.setPrototypeOf(target, Object.getPrototypeOf(real));
      if (!Object.isExtensible(real)) Object.preventExtensions(target);
      // Metadata (.describe(), .meta()) is kept in a registry by schema object: the stand-in carries it too.
      const meta = z.globalRegistry.get(real);
      if (meta !== undefined) z.globalRegistry.add(standIn, meta);
    }
    return real;
  };
  const standIn = new Proxy(target, {
    get: (_, key) => Reflect.get(resolve(), key),
    set: (_, key, value) => Reflect.set(resolve(), key, value),
    has: (_, key) => Reflect.has(resolve(), key),
    ownKeys: () => Reflect.ownKeys(resolve()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(resolve(), key);
      if (descriptor && !descriptor.configurable && !Object.prototype.hasOwnProperty.call(target, key)) {
        Object.defineProperty(target, key, descriptor);
      }
      return descriptor;
    },
    defineProperty: (_, key, descriptor) => {
      const done = Reflect.defineProperty(resolve(), key, descriptor);
      if (done && descriptor.configurable === false) Object.defineProperty(target, key, descriptor);
      return done;
    },
    deleteProperty: (_, key) => Reflect.deleteProperty(resolve(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(resolve()),
    setPrototypeOf: (_, prototype) => Reflect.setPrototypeOf(resolve(), prototype),
    isExtensible: () => (resolve(), Reflect.isExtensible(target)),
    preventExtensions: () => {
      Reflect.preventExtensions(resolve());
      return Reflect.preventExtensions(target);
    },
  });
  return standIn;
}
`;

const SCHEMA_NAME = /Schema(\$\d+)?$/;

/**
 * `z.lazy(…)` is left as it is: it builds nothing until used anyway, and zod's JSON Schema conversion of a
 * recursive schema keys its bookkeeping by the lazy schema's own object, which a stand-in is not.
 */
const isLazyCall = node =>
  ts.isCallExpression(node) &&
  ts.isPropertyAccessExpression(node.expression) &&
  ts.isIdentifier(node.expression.expression) &&
  node.expression.expression.text === 'z' &&
  node.expression.name.text === 'lazy';

/**
 * Wraps every `const …Schema = <expression>;` among `statements` of `text`: the module's top level, or the
 * bodies of the top-level functions whose names `inFunctions` matches. Returns the new text and the count.
 */
export function lazifySchemas(text, fileName, inFunctions) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const scopes = inFunctions
    ? source.statements
        .filter(ts.isFunctionDeclaration)
        .filter(fn => fn.name && fn.body && inFunctions.test(fn.name.text))
        .map(fn => fn.body.statements)
    : [source.statements];
  const edits = [];
  for (const statement of scopes.flat()) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !SCHEMA_NAME.test(declaration.name.text)) continue;
      const init = declaration.initializer;
      if (!init || isLazyCall(init)) continue;
      edits.push({ start: init.getStart(source), end: init.getEnd() });
    }
  }
  let out = text;
  for (const { start, end } of edits.reverse()) {
    out = `${out.slice(0, start)}__azLazySchema(() => (${out.slice(start, end)}))${out.slice(end)}`;
  }
  return { text: `${out}\n${HELPER}`, count: edits.length };
}

/**
 * The files, where their definitions are, and how many each must hold (fewer means the SDK changed: look
 * again). The server's own file holds each protocol era's wire schemas, built as a whole by one function
 * (`build$1`, 2025-11-25; `build`, 2026-07-28) on the era's first message — there too each is built on use.
 */
const FILES = [
  { filter: /[\\/]@modelcontextprotocol[\\/]core[\\/]dist[\\/]schemas-[^\\/]+\.mjs$/, atLeast: 150 },
  { filter: /[\\/]@modelcontextprotocol[\\/]core[\\/]dist[\\/]auth-[^\\/]+\.mjs$/, atLeast: 10 },
  {
    filter: /[\\/]@modelcontextprotocol[\\/]server[\\/]dist[\\/]src-[^\\/]+\.mjs$/,
    inFunctions: /^build(\$1)?$/,
    atLeast: 250,
    // The key sets that check an elicitation's requestedSchema are made from the elicitation schemas when the
    // module loads, which would build them: made on the first check instead (exact text, as exact-patches.mjs).
    patches: [
      [
        'function shapeKeys(schemas) {\n\treturn new Set(schemas.flatMap((schema) => Object.keys(schema.shape)));\n}',
        'function shapeKeys(schemas) {\n\treturn lazyKeySet(() => schemas.flatMap((schema) => Object.keys(schema.shape)));\n}\n' +
          'function lazyKeySet(keys) {\n\tlet set;\n\treturn { has: (key) => (set ??= new Set(keys())).has(key) };\n}',
      ],
      [
        'const ROOT_KEYS = new Set(["$schema", ...Object.keys(ElicitRequestFormParamsSchema.shape.requestedSchema.shape)]);',
        'const ROOT_KEYS = lazyKeySet(() => ["$schema", ...Object.keys(ElicitRequestFormParamsSchema.shape.requestedSchema.shape)]);',
      ],
      [
        'const SUPPORTED_STRING_FORMATS = new Set(StringSchemaSchema.shape.format.unwrap().options);',
        'const SUPPORTED_STRING_FORMATS = lazyKeySet(() => StringSchemaSchema.shape.format.unwrap().options);',
      ],
    ],
  },
];

export const lazySdkSchemas = {
  name: 'lazy-sdk-schemas',
  setup(builder) {
    for (const { filter, inFunctions, atLeast, patches = [] } of FILES) {
      builder.onLoad({ filter }, args => {
        const original = applyExactPatches(
          'lazy-sdk-schemas',
          args.path,
          readFileSync(args.path, 'utf8'),
          patches,
        );
        if (!/^import \* as z from "zod\/v4";$/m.test(original)) {
          throw new Error(`lazy-sdk-schemas: ${args.path} changed: it no longer imports zod as z`);
        }
        const { text, count } = lazifySchemas(original, args.path, inFunctions);
        if (count < atLeast) {
          throw new Error(
            `lazy-sdk-schemas: ${args.path} changed: ${count} schema definitions found, expected ${atLeast} or more`,
          );
        }
        return { contents: text, loader: 'js' };
      });
    }
  },
};
