/** Resource URIs of the AZ-OS MCP surface. Every resource also has a read tool (Agent Zero uses tools only). */
export const RESOURCE_URIS = {
  status: 'azos://status',
  tasks: 'azos://tasks',
  cost: 'azos://cost',
  memoryCollections: 'azos://memory/collections',
} as const;

export const RESOURCE_TEMPLATES = {
  task: 'azos://tasks/{id}',
  taskEvents: 'azos://tasks/{id}/events',
} as const;

export function taskUri(id: string): string {
  return `azos://tasks/${id}`;
}

export function taskEventsUri(id: string): string {
  return `azos://tasks/${id}/events`;
}
