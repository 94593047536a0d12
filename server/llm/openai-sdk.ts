/**
 * The openai SDK, loaded on first use: a process that never calls a model (an in-process `az task list`,
 * `az mcp` answering tools/list) does not parse it. One shared import for the gateway and the embedder.
 */
import type * as OpenAIModule from 'openai';

export type OpenAISdk = typeof OpenAIModule;

let loading: Promise<OpenAISdk> | undefined;

export function loadOpenAI(): Promise<OpenAISdk> {
  loading ??= import('openai');
  return loading;
}
