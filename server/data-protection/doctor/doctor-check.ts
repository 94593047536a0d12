/**
 * `az doctor`: independent checks of an installation, each reporting ok / warn / fail / skip with a fix. They
 * run in the CLI's own process (through the maintenance server), so they work when the home is broken, the
 * key is wrong or no server can start — exactly when they are needed.
 */
import type { DoctorCheck } from '../../../protocol/tools/data-tools.js';
import type { LoadedConfig } from '../../config/load.js';
import type { HomePaths } from '../../home.js';

export interface DoctorContext {
  paths: HomePaths;
  env: Record<string, string | undefined>;
  /** The configuration, or the error that stopped it from loading. */
  config: LoadedConfig | Error;
  signal: AbortSignal;
}

export type DoctorCheckFunction = (context: DoctorContext) => Promise<DoctorCheck[]> | DoctorCheck[];

export const CHECK_TIMEOUT_MS = 10_000;

export function ok(id: string, title: string, detail: string): DoctorCheck {
  return { id, title, status: 'ok', detail };
}

export function warn(id: string, title: string, detail: string, fix: string): DoctorCheck {
  return { id, title, status: 'warn', detail, fix };
}

export function fail(id: string, title: string, detail: string, fix: string): DoctorCheck {
  return { id, title, status: 'fail', detail, fix };
}

export function skip(id: string, title: string, detail: string): DoctorCheck {
  return { id, title, status: 'skip', detail };
}

/** Runs every check concurrently (each bounded in time); results keep the order of `checks`. */
export async function runChecks(
  checks: readonly { id: string; title: string; run: DoctorCheckFunction }[],
  context: DoctorContext,
): Promise<DoctorCheck[]> {
  const results = await Promise.all(
    checks.map(async check => {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          Promise.resolve().then(() => check.run(context)),
          new Promise<DoctorCheck[]>(resolve => {
            timer = setTimeout(
              () =>
                resolve([
                  warn(
                    check.id,
                    check.title,
                    `no answer within ${CHECK_TIMEOUT_MS / 1000} s`,
                    'Run az doctor again; if it persists, check this part by hand.',
                  ),
                ]),
              CHECK_TIMEOUT_MS,
            );
          }),
        ]);
      } catch (error) {
        return [
          fail(
            check.id,
            check.title,
            `the check itself failed: ${error instanceof Error ? error.message : String(error)}`,
            'Report this as a bug with the output of az doctor --json.',
          ),
        ];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.flat();
}
