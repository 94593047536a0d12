/**
 * How memory reaches Chroma: the local server AZ-OS supervises (the default) or a configured `memory.chroma_url`
 * (with headers, tenant and database). `run` retries once after a lost connection (the local server may have
 * been restarted on another port) and turns Chroma's errors into AppErrors with a hint.
 */
import type { ChromaClient } from 'chromadb';
import { AppError } from '../../../protocol/errors.js';
import type { ComponentStatus } from '../../../protocol/tools/system-tools.js';
import type { Config } from '../../config/schema.js';
import { loadChroma, loadedChroma } from './chroma-sdk.js';
import type { LocalChroma } from './local-chroma.js';

export interface ChromaConnection {
  readonly backend: string;
  run<T>(fn: (client: ChromaClient) => Promise<T>): Promise<T>;
  probe(): Promise<ComponentStatus>;
  close(): Promise<void>;
  /** True when there certainly are no collections yet (a local Chroma that never stored anything). */
  empty(): boolean;
  /**
   * After records were deleted for good (a collection replaced by reindex): a local Chroma's file is compacted
   * when it next stops, so their text does not linger in free pages. A remote Chroma manages its own storage.
   */
  compactLater(): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const isConnectionError = (error: unknown): boolean => {
  const sdk = loadedChroma();
  return sdk !== undefined && error instanceof sdk.ChromaConnectionError;
};

export function toMemoryError(error: unknown, backend: string): AppError {
  if (error instanceof AppError) return error;
  // Chroma's error classes exist once the library is loaded, which it is by the time Chroma could fail.
  const sdk = loadedChroma();
  if (isConnectionError(error)) {
    return new AppError('UNAVAILABLE', `Chroma (${backend}) is not reachable`, {
      cause: error,
      hint: 'az status shows the memory component; tasks still run without memory.',
    });
  }
  if (sdk && (error instanceof sdk.ChromaUnauthorizedError || error instanceof sdk.ChromaForbiddenError)) {
    return new AppError('UNAVAILABLE', `Chroma (${backend}) refused the request: ${describe(error)}`, {
      cause: error,
      hint: 'Check memory.chroma_headers (e.g. x-chroma-token), memory.chroma_tenant and memory.chroma_database.',
    });
  }
  if (sdk && (error instanceof sdk.ChromaValueError || error instanceof sdk.InvalidArgumentError)) {
    return new AppError('INVALID_INPUT', `Chroma rejected the request: ${describe(error)}`, { cause: error });
  }
  return new AppError('UNAVAILABLE', `Chroma (${backend}) failed: ${describe(error)}`, { cause: error });
}

export function createRemoteConnection(config: Config['memory']): ChromaConnection {
  const url = new URL(config.chroma_url as string);
  const ssl = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : ssl ? 443 : 80;
  const backend = `${url.protocol}//${url.host}`;
  let made: ChromaClient | undefined;
  const client = async (): Promise<ChromaClient> => {
    const sdk = await loadChroma();
    made ??= new sdk.ChromaClient({
      host: url.hostname,
      port,
      ssl,
      headers: config.chroma_headers,
      ...(config.chroma_tenant ? { tenant: config.chroma_tenant } : {}),
      ...(config.chroma_database ? { database: config.chroma_database } : {}),
    });
    return made;
  };
  return {
    backend,
    async run(fn) {
      try {
        return await fn(await client());
      } catch (error) {
        throw toMemoryError(error, backend);
      }
    },
    async probe() {
      try {
        const remote = await client();
        await remote.heartbeat();
        const reachable = await remote.listCollections({ limit: 1 }).then(
          () => undefined,
          (error: unknown) => toMemoryError(error, backend),
        );
        if (reachable)
          return { status: 'unavailable', detail: reachable.message, data: { mode: 'remote', url: backend } };
        return { status: 'ok', detail: `Chroma at ${backend}`, data: { mode: 'remote', url: backend } };
      } catch (error) {
        return {
          status: 'unavailable',
          detail: `Chroma at ${backend} is not reachable: ${describe(error)}`,
          data: { mode: 'remote', url: backend },
        };
      }
    },
    close: () => Promise.resolve(),
    empty: () => false,
    compactLater: () => undefined,
  };
}

export function createLocalConnection(local: LocalChroma): ChromaConnection {
  let client: ChromaClient | undefined;
  let port: number | undefined;
  const backend = 'local';
  const current = async (recheck: boolean): Promise<ChromaClient> => {
    const endpoint = await local.ensure({ recheck });
    const sdk = await loadChroma();
    if (!client || port !== endpoint.port) {
      client = new sdk.ChromaClient({ host: endpoint.host, port: endpoint.port });
      port = endpoint.port;
    }
    return client;
  };
  return {
    backend,
    async run(fn) {
      try {
        return await fn(await current(false));
      } catch (error) {
        if (!isConnectionError(error)) throw toMemoryError(error, backend);
        try {
          return await fn(await current(true));
        } catch (retryError) {
          throw toMemoryError(retryError, backend);
        }
      }
    },
    probe: () => local.probe(),
    close: () => local.close(),
    empty: () => local.empty(),
    compactLater: () => local.compactLater(),
  };
}
