/** The AZ-OS MCP contract: tool contracts, schemas, resource URIs, error codes and the typed client facade. */
export * from './errors.js';
export * from './task.js';
export * from './resources.js';
export * from './tool-contract.js';
export * from './text-rules.js';
export * from './tools/task-tools.js';
export * from './tools/system-tools.js';
export * from './tools/data-tools.js';
export * from './tools/token-tools.js';
export * from './tools/audit-tools.js';
export { AzClient, parseToolResult, toAppError, type CallOptions, type ToolCaller } from './client.js';
export { StatelessHttpClient, UnsupportedEraError } from './stateless-http-client.js';
export * from './tools/memory-tools.js';
export * from './tools/checkpoint-tools.js';
export * from './terminal-text.js';
