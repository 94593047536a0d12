/**
 * AZ-OS tools the agent is not offered: managing tasks, budgets, configuration and MCP servers is for the
 * user and outside clients, not for the model working on one task. Everything else AZ-OS serves (files,
 * shell, memory…) is offered as soon as it exists.
 */
import { costSummaryTool, getBudgetTool, setBudgetTool } from '../../protocol/tools/cost-tools.js';
import { resumeTaskTool, runTaskTool } from '../../protocol/tools/agent-tools.js';
import {
  addMcpServerTool,
  listMcpServersTool,
  removeMcpServerTool,
} from '../../protocol/tools/mcp-server-tools.js';
import {
  getConfigTool,
  getDatabaseStatusTool,
  getStatusTool,
  migrateDatabaseTool,
  setConfigTool,
  unsetConfigTool,
} from '../../protocol/tools/system-tools.js';
import {
  cancelTaskTool,
  createTaskTool,
  getTaskLogTool,
  getTaskTool,
  listTasksTool,
  retryTaskTool,
  waitTaskTool,
} from '../../protocol/tools/task-tools.js';

export const AGENT_HIDDEN_TOOLS: ReadonlySet<string> = new Set(
  [
    createTaskTool,
    runTaskTool,
    listTasksTool,
    getTaskTool,
    getTaskLogTool,
    waitTaskTool,
    cancelTaskTool,
    retryTaskTool,
    resumeTaskTool,
    getStatusTool,
    getConfigTool,
    setConfigTool,
    unsetConfigTool,
    getDatabaseStatusTool,
    migrateDatabaseTool,
    costSummaryTool,
    getBudgetTool,
    setBudgetTool,
    addMcpServerTool,
    listMcpServersTool,
    removeMcpServerTool,
  ].map(contract => contract.name),
);
