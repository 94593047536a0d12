/**
 * Tool schemas built on first use: loading a tool module (every in-process `az` command loads the fs and
 * shell tools with the server) then builds nothing; the server asks for a schema when it lists or runs the
 * tool. protocol/lazy-schema.ts has the same helper for the contracts; tools/ imports nothing of AZ-OS's
 * (DESIGN.md), hence this copy. `export const XxxSchema = lazySchema(() => z.object(…))`, used as `XxxSchema()`.
 */
export function lazySchema<S>(build: () => S): () => S {
  let schema: S | undefined;
  return () => (schema ??= build());
}
