/**
 * One JSON Schema validator cache for all of the agent's MCP clients. Each task opens new clients, and an SDK
 * client compiles a validator for every tool's output schema; compiling AZ-OS's ~25 schemas again for every
 * task cost more than the rest of a step. Schemas are keyed by their JSON text, so a validator is compiled once
 * per distinct schema for the life of the runtime.
 */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';

type Provider = InstanceType<typeof AjvJsonSchemaValidator>;

const MAX_ENTRIES = 2_000;

export function createCachingValidator(): Provider {
  const inner = new AjvJsonSchemaValidator();
  const cache = new Map<string, ReturnType<Provider['getValidator']>>();
  return {
    getValidator<T>(schema: Parameters<Provider['getValidator']>[0]) {
      const key = JSON.stringify(schema);
      let validator = cache.get(key);
      if (!validator) {
        if (cache.size >= MAX_ENTRIES) cache.clear();
        validator = inner.getValidator(schema);
        cache.set(key, validator);
      }
      return validator as ReturnType<Provider['getValidator']> &
        ((input: unknown) => { valid: boolean; data?: T });
    },
  } as Provider;
}
