/**
 * The token service: HTTP tokens with roles beside the admin token file — their resolver for the HTTP layer
 * and the admin-only tools that create, list and revoke them.
 */
import { createTokenTool, listTokensTool, revokeTokenTool } from '../../protocol/tools/token-tools.js';
import { implementTool, type ToolDefinition } from '../mcp/tool-definition.js';
import type { Service } from '../services.js';
import { createTokenStore } from './token-store.js';

export const tokenService: Service = ({ core, addTools, addTokenResolver }) => {
  const store = createTokenStore(core.db);
  addTokenResolver(store.resolver());
  addTools([
    implementTool(createTokenTool, (args, { principal }) =>
      store.create(args.name, args.role, principal.name),
    ),
    implementTool(listTokensTool, args => ({ tokens: store.list(args.include_revoked === true) })),
    implementTool(revokeTokenTool, (args, { principal }) => {
      const { info, already } = store.revoke(args.token, principal.name);
      return { info, already_revoked: already };
    }),
  ] as unknown as readonly ToolDefinition[]);
};
