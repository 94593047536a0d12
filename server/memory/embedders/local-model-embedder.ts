/**
 * A sentence-embedding model run in-process with transformers.js (onnxruntime), when the user has one on disk.
 *
 * Nothing here is a dependency of AZ-OS: `az memory setup` installs `@huggingface/transformers` into
 * AZ_HOME/models and fetches the model into AZ_HOME/models/cache where a network exists. At run time the model
 * is loaded from disk only (remote downloads are switched off), so a task never waits on a download.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../../protocol/errors.js';
import type { Embedder } from './embedder.js';

export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';

interface Tensor {
  tolist(): number[][];
}
type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<Tensor>;
interface TransformersModule {
  env: { cacheDir: string; allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(task: 'feature-extraction', model: string, options?: Record<string, unknown>): Promise<Extractor>;
}

export function modelsDirectory(home: string): string {
  return join(home, 'models');
}

function setupHint(model: string): string {
  return `Run az memory setup (needs a network once) to install ${TRANSFORMERS_PACKAGE} and fetch ${model}, or set memory.embedder builtin.`;
}

async function importTransformers(modelsDir: string, model: string): Promise<TransformersModule> {
  const places = [join(modelsDir, 'package.json'), import.meta.filename];
  for (const place of places) {
    let resolved: string;
    try {
      resolved = createRequire(place).resolve(TRANSFORMERS_PACKAGE);
    } catch {
      continue;
    }
    // require.resolve finds the CommonJS build, whose exports arrive under `default` when imported.
    const loaded = (await import(pathToFileURL(resolved).href)) as Partial<TransformersModule> & {
      default?: TransformersModule;
    };
    return loaded.env ? (loaded as TransformersModule) : (loaded.default as TransformersModule);
  }
  throw new AppError(
    'UNAVAILABLE',
    `the local embedder needs ${TRANSFORMERS_PACKAGE}, which is not installed`,
    {
      hint: setupHint(model),
    },
  );
}

export function createLocalModelEmbedder(options: { home: string; model: string }): Embedder {
  const modelsDir = modelsDirectory(options.home);
  let extractor: Promise<Extractor> | undefined;
  let dimension: number | undefined;

  async function load(): Promise<Extractor> {
    const transformers = await importTransformers(modelsDir, options.model);
    transformers.env.cacheDir = join(modelsDir, 'cache');
    transformers.env.localModelPath = join(modelsDir, 'cache');
    transformers.env.allowRemoteModels = false;
    if (!existsSync(join(modelsDir, 'cache', options.model))) {
      throw new AppError('UNAVAILABLE', `the model ${options.model} is not in ${join(modelsDir, 'cache')}`, {
        hint: setupHint(options.model),
      });
    }
    try {
      return await transformers.pipeline('feature-extraction', options.model, { dtype: 'fp32' });
    } catch (error) {
      throw new AppError(
        'UNAVAILABLE',
        `could not load ${options.model}: ${error instanceof Error ? error.message : error}`,
        {
          cause: error,
          hint: setupHint(options.model),
        },
      );
    }
  }

  return {
    id: `local:${options.model}`,
    async dimension() {
      if (dimension === undefined) await this.embed(['dimension probe']);
      return dimension as number;
    },
    async embed(texts) {
      extractor ??= load();
      let run: Extractor;
      try {
        run = await extractor;
      } catch (error) {
        extractor = undefined;
        throw error;
      }
      const vectors = (await run([...texts], { pooling: 'mean', normalize: true })).tolist();
      dimension ??= vectors[0]?.length;
      return vectors;
    },
  };
}
