/**
 * DNS-rebinding and cross-site protection: the Host header must name this server (localhost by default, plus
 * configured names such as host.docker.internal), and a browser Origin, when present, must be allowed. Both
 * refusals are 403 with a JSON-RPC body; allowed origins get CORS headers, foreign ones never do.
 */
import {
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  validateHostHeader,
  validateOriginHeader,
} from '@modelcontextprotocol/server';
import type { NextFunction, Request, Response } from 'express';
import { JSON_RPC, sendJsonRpcError } from './json-rpc-errors.js';

export interface HostGuardOptions {
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

const EXPOSED_HEADERS = 'mcp-session-id, mcp-protocol-version, www-authenticate';
const ALLOWED_HEADERS =
  'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id, x-az-tool-profile';

export function hostGuard(options: HostGuardOptions) {
  const hosts = [...new Set([...localhostAllowedHostnames(), ...options.allowedHosts])];
  const origins = [...new Set([...localhostAllowedOrigins(), ...options.allowedOrigins])];
  return (req: Request, res: Response, next: NextFunction): void => {
    const host = validateHostHeader(req.headers.host, hosts);
    if (!host.ok) {
      sendJsonRpcError(
        res,
        403,
        JSON_RPC.forbidden,
        `Forbidden: Host '${String(req.headers.host ?? '')}' is not allowed. Add it with \`az config set server.allowed_hosts NAME\`.`,
      );
      return;
    }
    const originHeader = req.headers.origin;
    if (originHeader !== undefined) {
      const origin = validateOriginHeader(originHeader, origins);
      if (!origin.ok) {
        sendJsonRpcError(res, 403, JSON_RPC.forbidden, `Forbidden: Origin '${originHeader}' is not allowed.`);
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', originHeader);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
