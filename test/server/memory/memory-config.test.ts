import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMemoryTool, searchMemoryTool } from '../../../protocol/tools/memory-tools.js';
import { getStatusTool, setConfigTool } from '../../../protocol/tools/system-tools.js';
import type { AzClient } from '../../../protocol/client.js';
import { startEmbeddingsServer, type EmbeddingsServer } from '../../fixtures/embeddings-server.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';
import { failure } from '../../helpers/failure.js';

// These paths fail before Chroma is reached, so no Chroma is started here.
describe('memory configuration errors', () => {
  let temp: TempHome;
  let client: AzClient;
  let embeddings: EmbeddingsServer;
  beforeAll(async () => {
    temp = createTempHome();
    client = await connectInProcess(temp.env);
    embeddings = await startEmbeddingsServer(8);
  });
  afterAll(async () => {
    await client.close();
    await embeddings.close();
    temp.cleanup();
  });

  it('memory.enabled false: tools are UNAVAILABLE and status says disabled', async () => {
    await client.call(setConfigTool, { key: 'memory.enabled', value: false });
    const error = await failure(client.call(searchMemoryTool, { query: 'x' }));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', hint: 'az config set memory.enabled true' });
    expect((await client.call(getStatusTool, {})).components.memory?.status).toBe('disabled');
    await client.call(setConfigTool, { key: 'memory.enabled', value: true });
  });

  it('the local embedder without a model on disk names az memory setup', async () => {
    await client.call(setConfigTool, { key: 'memory.embedder', value: 'local' });
    const error = await failure(client.call(addMemoryTool, { text: 'hello' }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/@huggingface\/transformers/);
    expect(error.hint).toMatch(/az memory setup/);
  });

  it('an embeddings endpoint that answers 404 gives the HTTP status and what to change', async () => {
    await client.call(setConfigTool, { key: 'memory.embedder', value: 'openai' });
    await client.call(setConfigTool, { key: 'memory.embedding_base_url', value: `${embeddings.url}/wrong` });
    const error = await failure(client.call(addMemoryTool, { text: 'hello' }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/HTTP 404/);
    expect(error.hint).toMatch(/memory\.embedding_model/);
    await client.call(setConfigTool, { key: 'memory.embedder', value: 'builtin' });
  });
});
