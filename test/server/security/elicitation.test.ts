import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzClient } from '../../../protocol/client.js';
import { readFileTool } from '../../../server/agent-tools/tools/read-file.js';
import { writeFileTool } from '../../../server/agent-tools/tools/write-file.js';
import { openInProcess } from '../../../server/index.js';
import { startDaemon, type Daemon } from '../../helpers/processes.js';
import { createWorkspaceHome, type WorkspaceHome } from '../../helpers/workspace.js';

type Answer = {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean | string[]>;
};

/** A client that can show forms (MCP elicitation) and answers them as told, recording the questions. */
function elicitingClient(answer: () => Answer, options: ConstructorParameters<typeof Client>[1] = {}) {
  const questions: string[] = [];
  const sdk = new Client(
    { name: 'az-test-eliciting', version: '0.0.0' },
    { ...options, capabilities: { elicitation: { form: {} } } },
  );
  sdk.setRequestHandler('elicitation/create', request => {
    questions.push(String(request.params.message));
    return answer();
  });
  return { sdk, questions };
}

describe('ask permissions go to the user through MCP elicitation', () => {
  let home: WorkspaceHome;
  let daemon: Daemon;
  let answer: Answer;

  beforeAll(async () => {
    home = createWorkspaceHome();
    writeFileSync(join(home.workspace, '.env'), 'API_TOKEN=abc\n');
    writeFileSync(join(home.workspace, '.env.other'), 'OTHER=1\n');
    daemon = await startDaemon(home.env);
  });

  afterAll(async () => {
    await daemon?.stop();
    home?.cleanup();
  });

  it('on a 2025-era connection: allowed once when the user accepts, refused when they decline', async () => {
    const server = await openInProcess({ env: home.env });
    const { sdk, questions } = elicitingClient(() => answer);
    await sdk.connect(server.clientTransport);
    const client = new AzClient(sdk, () => server.close());
    try {
      answer = { action: 'accept', content: { allow: true } };
      expect((await client.call(readFileTool, { path: '.env' })).content).toBe('API_TOKEN=abc\n');
      expect(questions[0]).toMatch(/read_file on '\.env'.*environment file.*Allow it this once\?/);
      answer = { action: 'decline' };
      await expect(
        client.call(writeFileTool, { path: '.env', content: 'API_TOKEN=stolen\n' }),
      ).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringContaining('the user declined'),
      });
      answer = { action: 'accept', content: { allow: false } };
      await expect(client.call(writeFileTool, { path: '.env', content: 'x' })).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
      });
      expect(readFileSync(join(home.workspace, '.env'), 'utf8')).toBe('API_TOKEN=abc\n');
      // Nothing is remembered: the next call asks again.
      answer = { action: 'accept', content: { allow: true } };
      await client.call(readFileTool, { path: '.env' });
      expect(questions).toHaveLength(4);
    } finally {
      await client.close();
    }
  });

  it('on the 2026-07-28 era over HTTP: the input_required round trip asks, then performs the call', async () => {
    const { sdk, questions } = elicitingClient(() => answer, {
      versionNegotiation: { mode: { pin: '2026-07-28' } },
    });
    await sdk.connect(
      new StreamableHTTPClientTransport(new URL(daemon.url), {
        requestInit: { headers: { Authorization: `Bearer ${daemon.token}` } },
      }),
    );
    const client = new AzClient(sdk);
    try {
      answer = { action: 'accept', content: { allow: true } };
      expect(await client.call(writeFileTool, { path: '.env.local', content: 'LOCAL=1\n' })).toMatchObject({
        created: true,
      });
      expect(questions).toHaveLength(1);
      answer = { action: 'decline' };
      await expect(client.call(readFileTool, { path: '.env' })).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringContaining('the user declined'),
      });
    } finally {
      await client.close();
    }
  });

  it('an approval counts only for the operation it was asked about', async () => {
    const sdk = new Client(
      { name: 'az-test-forger', version: '0.0.0' },
      {
        versionNegotiation: { mode: { pin: '2026-07-28' } },
        capabilities: { elicitation: { form: {} } },
        inputRequired: { autoFulfill: false },
      },
    );
    await sdk.connect(
      new StreamableHTTPClientTransport(new URL(daemon.url), {
        requestInit: { headers: { Authorization: `Bearer ${daemon.token}` } },
      }),
    );
    try {
      const asked = (await sdk.callTool(
        { name: 'read_file', arguments: { path: '.env.other' } },
        { allowInputRequired: true },
      )) as unknown as { resultType?: string; requestState?: string };
      expect(asked.requestState).toEqual(expect.any(String));
      const accepted = { az_permission: { action: 'accept', content: { allow: true } } };
      // The approval for .env.other, replayed for .env:
      const replayed = await sdk.callTool({
        name: 'read_file',
        arguments: { path: '.env' },
        inputResponses: accepted,
        requestState: asked.requestState,
      } as never);
      expect(replayed.isError).toBe(true);
      expect(JSON.stringify(replayed.structuredContent)).toContain('was not given for this operation');
      // An approval made up without any question:
      const invented = await sdk.callTool({
        name: 'read_file',
        arguments: { path: '.env' },
        inputResponses: accepted,
      } as never);
      expect(invented.isError).toBe(true);
      expect(JSON.stringify(invented.structuredContent)).toContain('PERMISSION_DENIED');
    } finally {
      await sdk.close();
    }
  });
});
