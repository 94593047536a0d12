/**
 * Shared schemas built on first use. Building zod schemas is most of what loading the protocol costs, and a
 * command needs few of them: `az task list` against a running server builds none (results from a server of
 * the same build are not validated again, see tool-result.ts; bench/core.js measures start-up). A schema
 * written `export const XxxSchema = lazySchema(() => z.object(…))` is used as `XxxSchema()`; the first call
 * builds it, every later one returns the same object.
 */
export function lazySchema<S>(build: () => S): () => S {
  let schema: S | undefined;
  return () => (schema ??= build());
}
