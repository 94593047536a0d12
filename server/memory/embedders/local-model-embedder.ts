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

/**
 * Loads transformers.js from AZ_HOME/models (where `az memory setup` installs it), else from AZ-OS's own
 * node_modules. Its CommonJS build, through require: the built server is CommonJS (scripts/bundle-cli.mjs), where
 * an import() of a computed path would become a require of a file: URL, which fails.
 */
function importTransformers(modelsDir: string, model: string): TransformersModule {
  const places = [join(modelsDir, 'package.json'), import.meta.filename];
  for (const place of places) {
    const load = createRequire(place);
    try {
      load.resolve(TRANSFORMERS_PACKAGE);
    } catch {
      continue;
    }
    try {
      return load(TRANSFORMERS_PACKAGE) as TransformersModule;
    } catch (error) {
      throw new AppError(
        'UNAVAILABLE',
        `could not load ${TRANSFORMERS_PACKAGE}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, hint: setupHint(model) },
      );
    }
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
    const transformers = importTransformers(modelsDir, options.model);
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
