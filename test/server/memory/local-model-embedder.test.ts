/**
 * The local-model embedder's loading: it finds transformers.js where `az memory setup` installs it
 * (AZ_HOME/models), sets it up to read the model from disk only, and says what to do when the package or the
 * model is missing — from source and through the built CLI (a CommonJS bundle, where a computed import() had
 * broken the load).
 *
 * transformers.js itself cannot run here (its models come from the network), so the package in AZ_HOME/models is
 * a stand-in with the same entry points (env, pipeline) that returns fixed vectors and records how it was set up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../protocol/errors.js';
import {
  TRANSFORMERS_PACKAGE,
  createLocalModelEmbedder,
  modelsDirectory,
} from '../../../server/memory/embedders/local-model-embedder.js';
import { runAz } from '../../helpers/processes.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

const MODEL = 'Xenova/all-MiniLM-L6-v2';

function installStandIn(home: string): void {
  const models = modelsDirectory(home);
  const dir = join(models, 'node_modules', ...TRANSFORMERS_PACKAGE.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(models, 'package.json'), '{"private":true}\n');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: TRANSFORMERS_PACKAGE, version: '0.0.0-stand-in', main: 'index.cjs' }),
  );
  writeFileSync(
    join(dir, 'index.cjs'),
    `exports.env = {};
exports.calls = [];
exports.pipeline = async (task, model, options) => {
  exports.calls.push({ task, model, options, env: { ...exports.env } });
  return async (texts, how) => ({ tolist: () => texts.map((text, index) => [text.length, index, how.pooling === 'mean' ? 1 : 0]) });
};
`,
  );
}

describe('the local-model embedder', () => {
  let temp: TempHome;

  beforeEach(() => {
    temp = createTempHome('az-local-model-');
  });

  afterEach(() => temp.cleanup());

  it('loads transformers.js from AZ_HOME/models and reads the model from disk only', async () => {
    installStandIn(temp.home);
    mkdirSync(join(modelsDirectory(temp.home), 'cache', MODEL), { recursive: true });
    const embedder = createLocalModelEmbedder({ home: temp.home, model: MODEL });
    expect(await embedder.embed(['hello', 'hi'])).toEqual([
      [5, 0, 1],
      [2, 1, 1],
    ]);
    expect(await embedder.dimension()).toBe(3);
    const { createRequire } = await import('node:module');
    const standIn = createRequire(join(modelsDirectory(temp.home), 'package.json'))(TRANSFORMERS_PACKAGE) as {
      calls: { task: string; model: string; env: Record<string, unknown> }[];
    };
    expect(standIn.calls).toHaveLength(1);
    expect(standIn.calls[0]).toMatchObject({
      task: 'feature-extraction',
      model: MODEL,
      env: { allowRemoteModels: false, cacheDir: join(modelsDirectory(temp.home), 'cache') },
    });
  });

  it('names what is missing: the package, then the model', async () => {
    const missingPackage = await createLocalModelEmbedder({ home: temp.home, model: MODEL })
      .embed(['x'])
      .catch((error: unknown) => error);
    expect(isAppError(missingPackage) && missingPackage.code).toBe('UNAVAILABLE');
    expect(String((missingPackage as Error).message)).toContain(`needs ${TRANSFORMERS_PACKAGE}`);
    installStandIn(temp.home);
    const missingModel = await createLocalModelEmbedder({ home: temp.home, model: MODEL })
      .embed(['x'])
      .catch((error: unknown) => error);
    expect(isAppError(missingModel) && missingModel.code).toBe('UNAVAILABLE');
    expect(String((missingModel as Error).message)).toContain(`the model ${MODEL} is not in`);
  });

  it('loads it through the built CLI too', async () => {
    installStandIn(temp.home);
    expect((await runAz(['db', 'init'], { env: temp.env })).code).toBe(0);
    expect((await runAz(['config', 'set', 'memory.embedder', 'local'], { env: temp.env })).code).toBe(0);
    // No model on disk: the stand-in was found and loaded, and the error says what to do next.
    const result = await runAz(['memory', 'add', 'hello world', '--json'], { env: temp.env });
    expect(result.code, result.stderr).toBe(6);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain(`the model ${MODEL} is not in`);
    expect(error.hint).toContain('az memory setup');
  });
});
