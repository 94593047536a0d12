/**
 * Adapting a zod contract schema to the SDK's Standard Schema interface.
 *
 * The SDK would validate arguments itself and answer failures with a plain-text error. AZ-OS validates in its
 * own wrapper instead (register-tools.ts), so failures carry the INVALID_INPUT code and a message listing
 * every bad field. The adapter therefore passes values through and only supplies the JSON Schema, converted
 * once per process rather than on every tools/list of every per-request server instance. The schema itself is
 * asked for only then (contracts build their schemas on first use, see protocol/tool-contract.ts).
 */
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import * as z from 'zod';

export function passthroughSchema(schema: () => z.ZodType, io: 'input' | 'output'): StandardSchemaWithJSON {
  let json: Record<string, unknown> | undefined;
  const jsonSchema = (): Record<string, unknown> => {
    json ??= z.toJSONSchema(schema(), { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    return json;
  };
  return {
    '~standard': {
      version: 1,
      vendor: 'az-os',
      validate: (value: unknown) => ({ value }),
      jsonSchema: { input: jsonSchema, output: jsonSchema },
    },
  } as StandardSchemaWithJSON;
}
