/**
 * The maintenance connection: an MCP client to the small maintenance server (server/index.ts
 * `openMaintenance`) started in this process, for commands that need the home to themselves or must work
 * when it is broken (encrypt, decrypt, rekey, restore, doctor).
 */
import type { ToolCaller } from '../protocol/tool-result.js';
import { VERSION } from '../protocol/version.js';
import type { CommandContext, Output } from './command.js';

export async function connectMaintenance({ globals, env }: CommandContext): Promise<ToolCaller> {
  const [{ openMaintenance }, { TransportClient }] = await Promise.all([
    import('../server/index.js'),
    import('../protocol/transport-client.js'),
  ]);
  const server = await openMaintenance({ home: globals.home, profile: globals.profile, env });
  return TransportClient.connect(
    server.clientTransport,
    { name: 'az-cli-maintenance', version: VERSION },
    () => server.close(),
  );
}

/** Prints progress of long work to stderr: a line when the step changes and every tenth of the way. */
export function progressPrinter(
  out: Output,
): (update: { progress: number; total?: number; message?: string }) => void {
  let lastMessage = '';
  let lastTenth = -1;
  return ({ progress, total, message }) => {
    const step = message ?? 'working';
    const tenth = total ? Math.floor((progress / total) * 10) : -1;
    if (step === lastMessage && tenth === lastTenth) return;
    const changedStep = step !== lastMessage;
    lastMessage = step;
    lastTenth = tenth;
    if (!changedStep && tenth < 0) return;
    out.note(
      total
        ? `${step}: ${Math.min(100, tenth * 10)}% (${formatBytes(progress)} of ${formatBytes(total)})`
        : step,
    );
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** Long maintenance calls have no fixed deadline: they report progress, which resets the client's timeout. */
export const LONG_CALL_TIMEOUT_MS = 120_000;
