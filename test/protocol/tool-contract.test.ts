/** defineTool: contracts build their schemas on first use, once, and a contract written wrongly fails at once. */
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { READ_ONLY, defineTool } from '../../protocol/tool-contract.js';
import { listTasksTool } from '../../protocol/tools/task-tools.js';

const spec = {
  title: 'Echo',
  description: 'Returns its text.',
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
} as const;

describe('defineTool', () => {
  it('builds each schema on first use, once', () => {
    let built = 0;
    const tool = defineTool({
      ...spec,
      name: 'echo',
      input: () => {
        built += 1;
        return z.strictObject({ text: z.string() });
      },
      output: () => z.object({ text: z.string() }),
    });
    expect(built).toBe(0);
    expect(tool.input.parse({ text: 'a' })).toEqual({ text: 'a' });
    expect(tool.input).toBe(tool.input);
    expect(built).toBe(1);
    expect(() => tool.input.parse({ text: 'a', extra: 1 })).toThrow();
  });

  it('refuses a schema given directly instead of a function that builds it', () => {
    const schema = z.object({});
    expect(() => defineTool({ ...spec, name: 'echo', input: schema as never, output: () => schema })).toThrow(
      /echo: input must be a function that builds the schema/,
    );
    expect(() =>
      defineTool({ ...spec, name: 'Bad-Name', input: () => schema, output: () => schema }),
    ).toThrow(/must match/);
  });

  it('keeps the real contracts intact: name, annotations and working schemas', () => {
    expect(listTasksTool.name).toBe('list_tasks');
    expect(listTasksTool.annotations.readOnlyHint).toBe(true);
    expect(listTasksTool.input.safeParse({ limit: 5 }).success).toBe(true);
    expect(listTasksTool.input.safeParse({ limit: 'five' }).success).toBe(false);
    expect(listTasksTool.input.safeParse({ nope: true }).success).toBe(false);
  });
});
