/**
 * Tool names as the model sees them: `SERVER__TOOL`, so a tool of one server never shadows another's. Names
 * must match OpenAI's `^[a-zA-Z0-9_-]{1,64}$`: other characters become `_`, long names are cut, and a name
 * that would collide gets a numeric suffix.
 */

export const OWN_SERVER = 'azos';
const SEPARATOR = '__';
const MAX = 64;

export function exposedToolName(server: string, tool: string, taken: ReadonlySet<string>): string {
  const base = `${server}${SEPARATOR}${tool}`.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX);
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const tail = `_${suffix}`;
    const candidate = `${base.slice(0, MAX - tail.length)}${tail}`;
    if (!taken.has(candidate)) return candidate;
  }
}
