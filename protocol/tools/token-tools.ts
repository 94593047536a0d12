/** Contracts of the token tools: HTTP tokens with roles, created, listed and revoked by admins. */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { READ_ONLY, defineTool } from '../tool-contract.js';

export const RoleSchema = lazySchema(() => z.enum(['admin', 'operator', 'viewer']));

export const TokenNameSchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(
      /^[a-z0-9][a-z0-9_.-]*$/,
      'must be lower-case letters, digits, and . _ - (starting with a letter or digit)',
    ),
);

export const TokenInfoSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    role: RoleSchema(),
    prefix: z.string().describe('The first characters of the token, to recognise it'),
    created_at: z.string(),
    created_by: z.string(),
    last_used_at: z.string().nullable().describe('Updated at most once a minute'),
    revoked_at: z.string().nullable(),
    revoked_by: z.string().nullable(),
  }),
);
export type TokenInfo = z.infer<ReturnType<typeof TokenInfoSchema>>;

export const createTokenTool = defineTool({
  name: 'create_token',
  title: 'Create token',
  description:
    'Create an HTTP bearer token with a role: admin (everything, configuration, tokens), operator (tasks, and ' +
    'file and shell tools under the policy), viewer (read-only tools and resources). The token is returned ' +
    'once and only its hash is stored.',
  input: () =>
    z.strictObject({
      name: TokenNameSchema().describe('Who or what uses it (unique, never reused): e.g. agent-zero, ci'),
      role: RoleSchema(),
    }),
  output: () => z.object({ token: z.string().describe('Shown once; store it now'), info: TokenInfoSchema() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  profile: 'all',
  access: 'admin',
});

export const listTokensTool = defineTool({
  name: 'list_tokens',
  title: 'List tokens',
  description:
    'List HTTP tokens: name, role, creation, last use and revocation. Tokens themselves are never shown.',
  input: () =>
    z.strictObject({ include_revoked: z.boolean().optional().describe('Also list revoked tokens') }),
  output: () => z.object({ tokens: z.array(TokenInfoSchema()) }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'admin',
});

export const revokeTokenTool = defineTool({
  name: 'revoke_token',
  title: 'Revoke token',
  description:
    'Revoke an HTTP token by name or id. It stops working at its next request; revoking twice is harmless.',
  input: () => z.strictObject({ token: z.string().min(1).max(64).describe('The token name or id') }),
  output: () => z.object({ info: TokenInfoSchema(), already_revoked: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  profile: 'all',
  access: 'admin',
});
