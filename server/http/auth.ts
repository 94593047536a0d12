/**
 * Bearer-token authentication for the HTTP transport.
 *
 * Security: the token is read only from the Authorization header (a token in a URL ends up in logs and
 * browser history), compared in constant time, and a missing or wrong token gets 401 with a
 * WWW-Authenticate challenge. Token stores beyond the admin token file plug in as `TokenResolver`s.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../mcp/principal.js';

/** Finds the principal a presented token belongs to, or undefined. */
export type TokenResolver = (token: string) => Principal | undefined;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time comparison of two secrets of any length (hashing first equalizes lengths). */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export function adminTokenResolver(adminToken: () => string): TokenResolver {
  return token =>
    secretsEqual(token, adminToken()) ? { name: 'admin', role: 'admin', via: 'http' } : undefined;
}

export type BearerResult = { ok: true; token: string } | { ok: false; reason: 'missing' | 'malformed' };

export function readBearer(header: string | undefined): BearerResult {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const match = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,512})[ \t]*$/i.exec(header);
  if (!match) return { ok: false, reason: 'malformed' };
  return { ok: true, token: match[1] as string };
}

const QUERY_TOKEN_NAMES = ['token', 'access_token', 'auth', 'bearer', 'api_key', 'apikey'];

/** True when the URL carries something that looks like a token in its query string. */
export function hasQueryToken(url: URL): boolean {
  return QUERY_TOKEN_NAMES.some(name => url.searchParams.has(name));
}
