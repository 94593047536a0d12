/**
 * The memory subsystem of one process: the Chroma connection (local supervised server or memory.chroma_url),
 * the configured embedder (rebuilt when its settings change) and the store. Chroma is reached lazily: nothing
 * starts until the first memory call, so tasks and start-up never wait for it.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../protocol/errors.js';
import type { ComponentStatus } from '../../protocol/tools/system-tools.js';
import type { Core } from '../core.js';
import {
  createLocalConnection,
  createRemoteConnection,
  type ChromaConnection,
} from './chroma/chroma-connection.js';
import { createLocalChroma } from './chroma/local-chroma.js';
import type { DocumentCodec } from '../data-protection/memory/document-codec.js';
import { createEmbedder, embedderKey } from './embedders/create-embedder.js';
import type { Embedder } from './embedders/embedder.js';
import { createMemoryStore, type MemoryStore } from './memory-store.js';

export interface MemoryRuntime {
  /** The store, or UNAVAILABLE when memory is turned off. */
  store(): MemoryStore;
  collection(name: string | undefined): string;
  embedder(): Embedder;
  status(): Promise<ComponentStatus>;
  close(): Promise<void>;
}

/** A one-shot CLI keeps the terminal quiet: Chroma start/stop lines go to AZ_HOME/logs/memory.log there. */
function supervisorLog(core: Core): (message: string) => void {
  if (core.mode !== 'in-process') return message => console.error(`memory: ${message}`);
  return message => {
    try {
      appendFileSync(join(core.paths.logsDir, 'memory.log'), `${new Date().toISOString()} ${message}\n`, {
        mode: 0o600,
      });
    } catch {
      // Logging must never break memory.
    }
  };
}

export function createMemoryRuntime(core: Core, codec: DocumentCodec): MemoryRuntime {
  const settings = () => core.config().config.memory;
  let connection: ChromaConnection | undefined;
  let store: MemoryStore | undefined;
  let embedder: { key: string; value: Embedder } | undefined;

  const currentEmbedder = (): Embedder => {
    const config = core.config().config;
    const key = embedderKey(config);
    if (embedder?.key !== key) embedder = { key, value: createEmbedder(config, core.paths.home) };
    return embedder.value;
  };

  const connect = (): ChromaConnection => {
    const memory = settings();
    connection ??= memory.chroma_url
      ? createRemoteConnection(memory)
      : createLocalConnection(
          createLocalChroma({
            dataDir: core.paths.chromaDir,
            stateFile: join(core.paths.home, 'chroma.json'),
            lockFile: join(core.paths.home, 'chroma.lock'),
            logFile: join(core.paths.logsDir, 'chroma.log'),
            log: supervisorLog(core),
          }),
        );
    return connection;
  };

  return {
    store() {
      if (!settings().enabled) {
        throw new AppError('UNAVAILABLE', 'memory is turned off (memory.enabled is false)', {
          hint: 'az config set memory.enabled true',
        });
      }
      store ??= createMemoryStore({ connection: connect(), embedder: currentEmbedder, codec });
      return store;
    },
    collection: name => name ?? settings().default_collection,
    embedder: currentEmbedder,
    async status() {
      const memory = settings();
      if (!memory.enabled) return { status: 'disabled', detail: 'memory.enabled is false' };
      const chroma = await connect().probe();
      const embedderId = currentEmbedder().id;
      return {
        ...chroma,
        detail: `${chroma.detail}; embedder ${embedderId}`,
        data: { ...chroma.data, embedder: embedderId },
      };
    },
    async close() {
      await connection?.close();
    },
  };
}
