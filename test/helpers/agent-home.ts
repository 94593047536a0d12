/**
 * A temp home wired to the scripted LLM server and, optionally, the reference filesystem MCP server
 * (@modelcontextprotocol/server-filesystem) as an external server — real components end to end.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './processes.js';
import { createTempHome, type TempHome } from './temp-home.js';

export const FILESYSTEM_SERVER = join(
  REPO_ROOT,
  'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js',
);
export const SCENARIOS_DIR = join(REPO_ROOT, 'test/fixtures/scenarios');

export interface AgentHomeOptions {
  llmUrl: string;
  /** Extra config merged into config.json. */
  config?: Record<string, unknown>;
  filesystem?: boolean;
}

export function createAgentHome(options: AgentHomeOptions): TempHome {
  const temp = createTempHome('az-agent-');
  delete temp.env.AZ_TASKS_PAUSED;
  const config: Record<string, unknown> = {
    llm: { provider: 'custom', base_url: options.llmUrl, max_retries: 2, timeout_seconds: 30 },
    tasks: { retry_delay_seconds: 0.2 },
    // The agent's tests exercise the engine; memory (a local Chroma) and checkpoints have their own tests.
    memory: { enabled: false },
    checkpoints: { enabled: false },
    ...(options.filesystem === false
      ? {}
      : // The filesystem server also takes the client's roots, but it fetches them after initialization:
        // naming the workspace up front leaves no window where it allows no directory.
        {
          mcp: { servers: { fs: { command: process.execPath, args: [FILESYSTEM_SERVER, '{workspace}'] } } },
        }),
  };
  for (const [section, values] of Object.entries(options.config ?? {})) {
    config[section] = { ...((config[section] as object | undefined) ?? {}), ...(values as object) };
  }
  writeFileSync(join(temp.home, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return temp;
}
