/**
 * Integrity for multi-round-trip `requestState` (protocol 2026-07-28, SEP-2322). A handler that needs input
 * from the client returns `inputRequired({requestState})`; the client echoes that state on its retry, so it
 * is attacker-controlled on the way back. Every AZ-OS MCP instance verifies echoed state with this codec
 * before any handler runs, and a tampered, expired or foreign state is refused with -32602.
 *
 * One codec per process (a random key): the daemon serves every round of a flow itself, and a restart
 * simply expires flows in progress.
 */
import { randomBytes } from 'node:crypto';
import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';

/** How long a client has to answer an input request. */
export const REQUEST_STATE_TTL_SECONDS = 10 * 60;

export function createServerRequestState(): RequestStateCodec {
  return createRequestStateCodec({
    key: randomBytes(32),
    ttlSeconds: REQUEST_STATE_TTL_SECONDS,
    // Security: state is bound to the method and the token that received it, so it cannot be replayed by
    // another caller or into another kind of request.
    bind: ctx => `${ctx.mcpReq.method}\0${ctx.http?.authInfo?.clientId ?? ''}`,
  });
}
