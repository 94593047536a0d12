/** The doctor's list of checks, in the order people read them. */
import type { DoctorCheck } from '../../../protocol/tools/data-tools.js';
import { runChecks, type DoctorCheckFunction, type DoctorContext } from './doctor-check.js';
import { checkDatabase } from './database-checks.js';
import { checkChromaBinding, checkChromaServer, checkConfig, checkLlmGateway } from './service-checks.js';
import { checkDisk, checkHome, checkNode, checkSandbox, checkToken } from './system-checks.js';

export const DOCTOR_CHECKS: readonly { id: string; title: string; run: DoctorCheckFunction }[] = [
  { id: 'node', title: 'Node.js', run: () => checkNode() },
  { id: 'home', title: 'AZ_HOME permissions', run: checkHome },
  { id: 'token', title: 'Token file', run: checkToken },
  { id: 'config', title: 'Configuration', run: checkConfig },
  { id: 'database', title: 'Database', run: checkDatabase },
  { id: 'disk', title: 'Free disk', run: checkDisk },
  { id: 'chroma_binding', title: 'Chroma binding', run: checkChromaBinding },
  { id: 'chroma', title: 'Chroma server', run: checkChromaServer },
  { id: 'sandbox', title: 'Sandbox (bubblewrap)', run: checkSandbox },
  { id: 'llm', title: 'LLM gateway', run: checkLlmGateway },
];

export async function runDoctor(context: DoctorContext): Promise<{ ok: boolean; checks: DoctorCheck[] }> {
  const checks = await runChecks(DOCTOR_CHECKS, context);
  return { ok: checks.every(check => check.status !== 'fail'), checks };
}
