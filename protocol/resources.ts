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

/**
 * The read tool behind each resource (by URI or URI template): it returns the same data, so clients that use
 * tools only (Agent Zero) see everything a resource shows. A resource without an entry here is a bug.
 */
export const RESOURCE_READ_TOOLS: Readonly<Record<string, string>> = {
  [RESOURCE_URIS.status]: 'get_status',
  [RESOURCE_URIS.tasks]: 'list_tasks',
  [RESOURCE_TEMPLATES.task]: 'get_task',
  [RESOURCE_TEMPLATES.taskEvents]: 'get_task_log',
  [RESOURCE_URIS.cost]: 'get_cost_summary',
  [RESOURCE_URIS.memoryCollections]: 'list_collections',
};
