/** The 'sandbox' component of get_status / az status: how shell commands run right now, and why. */
import type { ComponentStatus } from '../../protocol/tools/system-tools.js';
import { SANDBOX_HINT } from '../../tools/sandbox/launcher.js';
import type { AgentToolsRuntime } from './runtime.js';

export async function sandboxStatus(runtime: AgentToolsRuntime): Promise<ComponentStatus> {
  const { sandbox, network } = runtime.core.config().config.security;
  const data = { mode: sandbox, network };
  if (sandbox === 'off') {
    return {
      status: 'disabled',
      detail:
        'security.sandbox is off: shell commands run WITHOUT a sandbox (workspace cwd, time limits, scrubbed environment only)',
      data,
    };
  }
  const probe = await runtime.probe();
  if (probe.ok) {
    const identity = probe.userNamespace
      ? `user namespace${probe.uid === undefined ? '' : `, uid ${probe.uid}`}`
      : 'no user namespace';
    return {
      status: 'ok',
      detail: `bubblewrap (${probe.version ?? 'bwrap'}, ${identity}); network ${network ? 'allowed' : 'off'}; mode ${sandbox}`,
      data: { ...data, backend: 'bubblewrap', version: probe.version, user_namespace: probe.userNamespace },
    };
  }
  if (sandbox === 'preferred') {
    return {
      status: 'degraded',
      detail: `${probe.reason}: shell commands run WITHOUT a sandbox (security.sandbox is preferred)`,
      data: { ...data, backend: 'none', reason: probe.reason },
    };
  }
  return {
    status: 'unavailable',
    detail: `${probe.reason}: shell commands are refused. ${SANDBOX_HINT}`,
    data: { ...data, backend: 'none', reason: probe.reason },
  };
}
