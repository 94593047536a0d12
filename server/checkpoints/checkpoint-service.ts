/**
 * The checkpoint service: git checkpoints of task workspaces as MCP tools, and the task hooks that take them
 * (start, after steps that changed files, periodic) and restore them when a task resumes.
 */
import type { ToolDefinition } from '../mcp/tool-definition.js';
import type { Service } from '../services.js';
import { createCheckpointHooks } from './checkpoint-hooks.js';
import { createCheckpointRuntime } from './checkpoint-runtime.js';
import { createCheckpoint } from './tools/create-checkpoint.js';
import { diffCheckpoint } from './tools/diff-checkpoint.js';
import { listCheckpoints } from './tools/list-checkpoints.js';
import { restoreCheckpoint } from './tools/restore-checkpoint.js';

export function createCheckpointService(): Service {
  return ({ core, addTools }) => {
    const checkpoints = createCheckpointRuntime(core);
    addTools([
      createCheckpoint(checkpoints),
      listCheckpoints(checkpoints),
      diffCheckpoint(checkpoints),
      restoreCheckpoint(checkpoints),
    ] as unknown as readonly ToolDefinition[]);
    core.taskHooks.push(createCheckpointHooks(core, checkpoints));
  };
}
