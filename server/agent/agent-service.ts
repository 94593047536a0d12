/**
 * The agent service: plugs the agent runtime into AZ-OS — the task runner hooks (cancel, wake), the run_task,
 * resume_task, cost and MCP-server tools, the azos://cost resource, the llm and executor status, and the
 * retention targets of its journal (step_journals, tool_outputs).
 */
import type { Service } from '../services.js';
import { costResource, costTools } from '../cost/cost-tools.js';
import { llmStatusProvider } from '../llm/llm-status.js';
import type { ToolDefinition } from '../mcp/tool-definition.js';
import { createAgentRuntime } from './agent-runtime.js';
import { executorStatusProvider } from './executor-status.js';
import { stepJournalsTarget, toolOutputsTarget } from './journal-retention.js';
import { mcpServerTools } from './tools/mcp-servers.js';
import { resumeTask } from './tools/resume-task.js';
import { runTask } from './tools/run-task.js';

export const agentService: Service = ({ core, features, addTools, addInstanceSetup, registry, onReady }) => {
  const agent = createAgentRuntime(core, features, registry);
  core.tasks.setRunner({ cancel: taskId => agent.executor.cancel(taskId), wake: () => agent.wake() });
  addTools([runTask(agent), resumeTask(agent)] as unknown as ToolDefinition[]);
  addTools(costTools(agent.ledger));
  addTools(mcpServerTools());
  addInstanceSetup(costResource(core, agent.ledger));
  core.statusProviders.set(
    'llm',
    llmStatusProvider(() => core.config(), core.env),
  );
  core.statusProviders.set('executor', executorStatusProvider(agent, features));
  core.retentionTargets.set('step_journals', stepJournalsTarget(core));
  core.retentionTargets.set('tool_outputs', toolOutputsTarget(core));
  onReady(() => agent.start());
  core.onClose(() => agent.close());
};
