/**
 * scripts/lazy-sdk-schemas.mjs: the build step that has the MCP SDK's protocol schemas built on first use. A
 * module in the SDK's shape goes through the same transform; its schemas must behave exactly as the ones built
 * at once (parsing, errors, composition, instanceof, reflection, JSON Schema), and be built only when touched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { REPO_ROOT } from '../helpers/processes.js';

// @ts-expect-error a build script (plain ESM, no types)
const { lazifySchemas } = (await import('../../scripts/lazy-sdk-schemas.mjs')) as {
  lazifySchemas: (text: string, fileName: string, inFunctions?: RegExp) => { text: string; count: number };
};

const MODULE = `import * as z from "zod/v4";
globalThis.__azBuilt = [];
const note = name => (globalThis.__azBuilt.push(name), name);
const VERSION = "2025-11-25";
const JSONValueSchema = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), JSONValueSchema), z.array(JSONValueSchema)]));
const RequestIdSchema = (note("RequestId"), z.union([z.string(), z.number().int()]));
const BaseSchema = (note("Base"), z.object({ method: z.string(), params: z.optional(z.looseObject({})) }));
const RequestSchema = (note("Request"), BaseSchema.extend({ jsonrpc: z.literal("2.0"), id: RequestIdSchema }).strict());
const ResultSchema = (note("Result"), z.object({ id: RequestIdSchema, result: JSONValueSchema }).describe("a result"));
const MessageSchema = (note("Message"), z.union([RequestSchema, ResultSchema]));
const UnusedSchema = (note("Unused"), z.string().email());
function build() {
  const InnerSchema = (note("Inner"), z.object({ value: z.number() }));
  const OuterSchema = (note("Outer"), z.object({ inner: InnerSchema }));
  return { InnerSchema, OuterSchema };
}
export { VERSION, JSONValueSchema, RequestIdSchema, BaseSchema, RequestSchema, ResultSchema, MessageSchema, UnusedSchema, build };
`;

const dir = mkdtempSync(join(REPO_ROOT, 'dist', '.lazy-schemas-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let loaded = 0;
async function load(text: string): Promise<Record<string, unknown>> {
  // Inside the repository, so that `zod/v4` resolves as it does for the bundle.
  const file = join(dir, `module-${(loaded += 1)}.mjs`);
  writeFileSync(file, text);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
const built = (): string[] => (globalThis as unknown as { __azBuilt: string[] }).__azBuilt;

describe('lazy SDK schemas (build step)', () => {
  it('wraps the schema definitions at the top level, or in the named functions, and nothing else', () => {
    expect(lazifySchemas(MODULE, 'm.mjs').count).toBe(6);
    expect(lazifySchemas(MODULE, 'm.mjs').text).toContain('const JSONValueSchema = z.lazy(');
    const inBuild = lazifySchemas(MODULE, 'm.mjs', /^build$/);
    expect(inBuild.count).toBe(2);
    expect(inBuild.text).toContain('const VERSION = "2025-11-25";');
    expect(inBuild.text).toContain('const RequestIdSchema = (note("RequestId")');
  });

  it('builds a schema when it is first touched, and each at most once', async () => {
    const lazy = await load(lazifySchemas(MODULE, 'm.mjs').text);
    expect(built()).toEqual([]);
    const message = lazy.MessageSchema as z.ZodType;
    expect(message.safeParse({ jsonrpc: '2.0', id: 1, method: 'ping' }).success).toBe(true);
    // The union's first option took the message: the second is not even built.
    expect(built().sort()).toEqual(['Base', 'Message', 'Request', 'RequestId']);
    expect(message.safeParse({ id: 1, result: null }).success).toBe(true);
    expect(message.safeParse({ jsonrpc: '2.0', id: 2, method: 'ping' }).success).toBe(true);
    expect(built().sort()).toEqual(['Base', 'Message', 'Request', 'RequestId', 'Result']);
  });

  it('behaves as the schema built at once: results, errors, composition, reflection, JSON Schema', async () => {
    const eager = await load(MODULE);
    const lazy = await load(lazifySchemas(MODULE, 'm.mjs').text);
    const inputs: unknown[] = [
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x' } },
      { jsonrpc: '2.0', id: 'a', method: 'ping', extra: true },
      { id: 3, result: { nested: [1, 'two', null, { deep: false }] } },
      { id: 1.5, result: 1 },
      'not an object',
      null,
    ];
    for (const name of ['MessageSchema', 'RequestSchema', 'ResultSchema', 'JSONValueSchema']) {
      const a = eager[name] as z.ZodType;
      const b = lazy[name] as z.ZodType;
      for (const input of inputs) {
        const expected = a.safeParse(input);
        const actual = b.safeParse(input);
        expect(actual.success, `${name} ${JSON.stringify(input)}`).toBe(expected.success);
        if (expected.success) expect(actual.data).toEqual(expected.data);
        else expect(actual.error?.issues).toEqual(expected.error.issues);
      }
      expect(b).toBeInstanceOf(z.ZodType);
      expect(Object.getPrototypeOf(b)).toBe(Object.getPrototypeOf(a));
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      expect(Object.getOwnPropertyNames(b).sort()).toEqual(Object.getOwnPropertyNames(a).sort());
      for (const key of Reflect.ownKeys(a)) {
        expect(Object.getOwnPropertyDescriptor(b, key)?.enumerable).toBe(
          Object.getOwnPropertyDescriptor(a, key)?.enumerable,
        );
      }
      expect(await b['~standard'].validate(inputs[0])).toEqual(await a['~standard'].validate(inputs[0]));
    }
    // Composition: a lazy schema inside a new one, extended, made optional.
    const wrapped = z.object({ message: lazy.MessageSchema as z.ZodType }).partial();
    expect(wrapped.safeParse({ message: { id: 1, result: 2 } }).success).toBe(true);
    expect(wrapped.safeParse({ message: { id: 1 } }).success).toBe(false);
    const extended = (lazy.BaseSchema as z.ZodObject).extend({ extra: z.number() });
    expect(extended.safeParse({ method: 'x', extra: 1 }).success).toBe(true);
    // The same reference everywhere, and the JSON Schema of the schema built at once.
    expect(lazy.RequestSchema).toBe(lazy.RequestSchema);
    for (const name of ['RequestSchema', 'ResultSchema', 'MessageSchema']) {
      expect(z.toJSONSchema(lazy[name] as z.ZodType), name).toEqual(z.toJSONSchema(eager[name] as z.ZodType));
    }
    // Inside a builder function: the returned object holds stand-ins that work the same.
    const fromBuild = (lazy.build as () => Record<string, z.ZodType>)();
    expect(fromBuild.OuterSchema?.safeParse({ inner: { value: 1 } }).success).toBe(true);
    expect(fromBuild.OuterSchema?.safeParse({ inner: { value: 'x' } }).success).toBe(false);
  });
});
