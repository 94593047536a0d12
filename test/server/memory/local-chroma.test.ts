import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { heartbeat } from '../../../server/memory/chroma/chroma-binary.js';
import { processAlive } from '../../../server/memory/chroma/file-lock.js';
import { createLocalChroma, type LocalChroma } from '../../../server/memory/chroma/local-chroma.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

const quiet = () => undefined;

function supervisor(temp: TempHome): LocalChroma {
  return createLocalChroma({
    dataDir: join(temp.home, 'chroma'),
    stateFile: join(temp.home, 'chroma.json'),
    lockFile: join(temp.home, 'chroma.lock'),
    logFile: join(temp.home, 'logs', 'chroma.log'),
    healthIntervalMs: 150,
    log: quiet,
  });
}

const state = (temp: TempHome) =>
  JSON.parse(readFileSync(join(temp.home, 'chroma.json'), 'utf8')) as { pid: number; port: number };

describe('the supervised local Chroma', () => {
  let temp: TempHome;
  afterEach(() => temp?.cleanup());

  it('is shared by two users of one home, survives the first leaving, and stops with the last', async () => {
    temp = createTempHome();
    const first = supervisor(temp);
    const second = supervisor(temp);
    const [a, b] = await Promise.all([first.ensure(), second.ensure()]);
    expect(a.port).toBe(b.port);
    const { pid } = state(temp);
    await first.close();
    expect(processAlive(pid)).toBe(true);
    expect(await heartbeat('127.0.0.1', b.port, 2000)).toBe(true);
    await second.close();
    expect(processAlive(pid)).toBe(false);
    expect(existsSync(join(temp.home, 'chroma.json'))).toBe(false);
  });

  it('stops its Chroma when the home was deleted while it ran (nothing is left behind)', async () => {
    temp = createTempHome();
    const chroma = supervisor(temp);
    await chroma.ensure();
    const { pid } = state(temp);
    expect(processAlive(pid)).toBe(true);
    rmSync(temp.home, { recursive: true, force: true });
    await chroma.close();
    expect(processAlive(pid)).toBe(false);
  });

  it('restarts Chroma after it is killed', async () => {
    temp = createTempHome();
    const chroma = supervisor(temp);
    try {
      await chroma.ensure();
      const killed = state(temp).pid;
      process.kill(killed, 'SIGKILL');
      let restarted: { pid: number; port: number } | undefined;
      for (let waited = 0; waited < 20_000 && !restarted; waited += 100) {
        await sleep(100);
        const now = existsSync(join(temp.home, 'chroma.json')) ? state(temp) : undefined;
        if (now && now.pid !== killed && (await heartbeat('127.0.0.1', now.port, 1000))) restarted = now;
      }
      expect(restarted).toBeDefined();
      expect((await chroma.probe()).status).toBe('ok');
    } finally {
      await chroma.close();
    }
  });
});
