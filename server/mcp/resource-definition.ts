/**
 * A resource a service adds to the MCP surface (beside the built-in ones in resources.ts): a fixed URI whose
 * JSON is produced on each read. Every resource also has a read tool, for clients that use tools only.
 */
import type { Core } from '../core.js';

export interface ResourceDefinition {
  name: string;
  uri: string;
  title: string;
  description: string;
  read(core: Core): Promise<unknown>;
}
