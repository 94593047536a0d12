/** Reading and atomically writing config.json (mode 0600: it may hold an API key). */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';

export function readConfigText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function writeConfigFile(path: string, value: Record<string, unknown>): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
