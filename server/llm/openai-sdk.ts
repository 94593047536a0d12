/**
 * The openai SDK, loaded on first use: a process that never calls a model (an in-process `az task list`,
 * `az mcp` answering tools/list) does not parse it. One shared import for the gateway and the embedder.
 */
export type OpenAISdk = typeof import('openai');

let loading: Promise<OpenAISdk> | undefined;

export function loadOpenAI(): Promise<OpenAISdk> {
  loading ??= import('openai');
  return loading;
}
