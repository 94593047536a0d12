/** A fresh AZ_HOME in a temp directory per test, removed afterwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempHome {
  home: string;
  env: Record<string, string | undefined>;
  cleanup(): void;
}

export function createTempHome(prefix = 'az-test-'): TempHome {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const env: Record<string, string | undefined> = {
    ...process.env,
    AZ_HOME: home,
    AZ_URL: undefined,
    AZ_TOKEN: undefined,
  };
  for (const key of Object.keys(env)) {
    // Config overrides from the developer's shell must not leak into tests.
    if (key.startsWith('AZ_') && key !== 'AZ_HOME') delete env[key];
  }
  // A queued task would otherwise start a background server for the temp home, and a server would run it
  // (against an LLM that is not there): tests that run tasks say so (see agent-home.ts).
  env.AZ_TASKS_AUTOSTART_DAEMON = 'false';
  env.AZ_TASKS_PAUSED = 'true';
  return { home, env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}
