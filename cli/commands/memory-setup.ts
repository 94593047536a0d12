import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../protocol/errors.js';
import { setConfigTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';

const PACKAGE = '@huggingface/transformers@3';

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', code =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args[0]} exited with ${code}`)),
    );
  });
}

// Downloads the model into AZ_HOME/models/cache with transformers.js itself (the run-time loader reads only there).
const FETCH_SCRIPT = `
const [dir, model] = process.argv.slice(1);
const { env, pipeline } = await import('@huggingface/transformers');
env.cacheDir = dir + '/cache';
env.allowRemoteModels = true;
const extract = await pipeline('feature-extraction', model, { dtype: 'fp32' });
const output = await extract(['hello'], { pooling: 'mean', normalize: true });
console.log('dimension', output.tolist()[0].length);
`;

const command: Command = {
  usage: 'az memory setup [--model ID] [--no-use]',
  summary: 'Install a local sentence-embedding model (needs a network once)',
  details:
    `Installs ${PACKAGE} into AZ_HOME/models and fetches the model (default memory.local_model, ` +
    'Xenova/all-MiniLM-L6-v2) into AZ_HOME/models/cache, then sets memory.embedder to local. Run az memory reindex ' +
    'afterwards for collections made with another embedder.',
  flags: {
    model: { type: 'string', description: 'Model id (default Xenova/all-MiniLM-L6-v2)' },
    use: { type: 'boolean', default: true, description: 'Switch memory.embedder to local afterwards' },
  },
  args: 0,
  async run({ paths, env, out, connect, flags }) {
    const dir = join(paths.home, 'models');
    const model = (flags.model as string | undefined) ?? 'Xenova/all-MiniLM-L6-v2';
    if (!/^[A-Za-z0-9._/-]+$/.test(model))
      throw new AppError('INVALID_INPUT', `'${model}' is not a model id`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(join(dir, 'package.json')))
      writeFileSync(join(dir, 'package.json'), '{"private":true,"type":"module"}\n');
    out.note(`installing ${PACKAGE} into ${dir} …`);
    try {
      // --ignore-scripts: onnxruntime-node ships its CPU binaries in the package; its install script only fetches GPU extras.
      await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', PACKAGE], {
        cwd: dir,
        env,
      });
      out.note(`fetching ${model} …`);
      await run(process.execPath, ['--input-type=module', '-e', FETCH_SCRIPT, dir, model], { cwd: dir, env });
    } catch (error) {
      throw new AppError(
        'UNAVAILABLE',
        `memory setup failed: ${error instanceof Error ? error.message : error}`,
        {
          hint: 'It needs the npm registry and the Hugging Face hub once; the built-in embedder works without them.',
        },
      );
    }
    if (flags.use !== false) {
      const client = await connect();
      await client.call(setConfigTool, { key: 'memory.local_model', value: model });
      await client.call(setConfigTool, { key: 'memory.embedder', value: 'local' });
      out.print(`memory.embedder is now local (${model}); run az memory reindex for existing collections`);
    } else out.print(`installed ${model}; az config set memory.embedder local to use it`);
  },
};
export default command;
