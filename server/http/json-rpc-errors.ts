/** Every HTTP error AZ-OS sends is a JSON-RPC error body: never HTML, never a stack trace. */
import type { Response } from 'express';

export const JSON_RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  internalError: -32603,
  /** Server-defined: authentication and transport refusals. */
  unauthorized: -32001,
  forbidden: -32003,
  notFound: -32004,
  tooLarge: -32005,
} as const;

export function sendJsonRpcError(
  res: Response,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.json({ jsonrpc: '2.0', id: null, error: { code, message } });
}
