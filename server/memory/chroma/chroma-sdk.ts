/**
 * The chromadb client library, loaded on first use of memory: a process that never touches memory (an
 * in-process `az task list`, `az mcp` answering tools/list) does not parse it.
 */
import type * as ChromaModule from 'chromadb';

export type ChromaSdk = typeof ChromaModule;

let loading: Promise<ChromaSdk> | undefined;
let loaded: ChromaSdk | undefined;

export function loadChroma(): Promise<ChromaSdk> {
  loading ??= import('chromadb').then(module => (loaded = module));
  return loading;
}

/** The library when it is loaded: an error can only come from Chroma once it has been used. */
export function loadedChroma(): ChromaSdk | undefined {
  return loaded;
}
