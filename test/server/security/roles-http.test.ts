import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { setConfigTool } from '../../../protocol/tools/system-tools.js';
import { createTokenTool, listTokensTool } from '../../../protocol/tools/token-tools.js';
import { getAuditLogTool } from '../../../protocol/tools/audit-tools.js';
import { readFileTool } from '../../../server/agent-tools/tools/read-file.js';
import { runShellCommandTool } from '../../../server/agent-tools/tools/run-shell-command.js';
import { writeFileTool } from '../../../server/agent-tools/tools/write-file.js';
import { connectHttp, type Era } from '../../helpers/http-client.js';
import { runAz, startDaemon, type Daemon } from '../../helpers/processes.js';
import { INITIALIZE, JSON_HEADERS, rawRequest } from '../../helpers/raw-http.js';
import { createWorkspaceHome, snapshot, type WorkspaceHome } from '../../helpers/workspace.js';

describe('tokens and roles over real HTTP (az serve, az token)', () => {
  let home: WorkspaceHome;
  let daemon: Daemon;
  let tokens: Record<'viewer' | 'operator', string>;
  let outsideBefore: Record<string, string>;
  const clients: AzClient[] = [];

  const createToken = async (name: string, role: string): Promise<string> => {
    const result = await runAz(['token', 'create', '--name', name, '--role', role, '--json'], {
      env: home.env,
    });
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { token: string }).token;
  };
  const connect = async (token: string, era: Era): Promise<AzClient> => {
    const client = await connectHttp(daemon.url, token, era, { 'X-AZ-Tool-Profile': 'all' });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    home = createWorkspaceHome();
    writeFileSync(join(home.workspace, 'notes.txt'), 'notes\n');
    daemon = await startDaemon(home.env);
    tokens = {
      viewer: await createToken('viewer-1', 'viewer'),
      operator: await createToken('operator-1', 'operator'),
    };
    outsideBefore = snapshot(home.outside);
  });

  afterEach(() => {
    expect(snapshot(home.outside)).toEqual(outsideBefore);
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    await daemon?.stop();
    home?.cleanup();
  });

  it('az token create shows the token once; the database holds only its hash', async () => {
    expect(tokens.viewer).toMatch(/^azos_t_[A-Za-z0-9_-]{43}$/);
    const db = new Database(join(home.home, 'az.db'), { readonly: true });
    try {
      const row = db.prepare("SELECT * FROM api_tokens WHERE name = 'viewer-1'").get() as Record<
        string,
        unknown
      >;
      expect(row.token_sha256).toBe(createHash('sha256').update(tokens.viewer).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(tokens.viewer.slice(12));
    } finally {
      db.close();
    }
    for (const file of ['az.db', 'az.db-wal']) {
      expect(readFileSync(join(home.home, file)).includes(Buffer.from(tokens.viewer))).toBe(false);
    }
    const listed = await runAz(['token', 'list', '--json'], { env: home.env });
    expect(listed.stdout).not.toContain(tokens.viewer);
    expect(JSON.parse(listed.stdout).tokens.map((token: { name: string }) => token.name)).toEqual([
      'viewer-1',
      'operator-1',
    ]);
  });

  for (const era of ['legacy', 'modern'] as const) {
    it(`a viewer (${era}) sees and calls only read-only tools`, async () => {
      const viewer = await connect(tokens.viewer, era);
      const names = (await viewer.sdk.listTools()).tools.map(tool => tool.name);
      expect(names).toContain('read_file');
      expect(names).not.toContain('write_file');
      expect(names).not.toContain('run_shell_command');
      expect(names).not.toContain('create_token');
      expect((await viewer.call(readFileTool, { path: 'notes.txt' })).content).toBe('notes\n');
      const workspaceBefore = snapshot(home.workspace);
      for (const [contract, args] of [
        [writeFileTool, { path: 'notes.txt', content: 'defaced' }],
        [runShellCommandTool, { command: 'echo x > notes.txt' }],
        [createTokenTool, { name: `escalate-${era}`, role: 'admin' }],
        [setConfigTool, { key: 'security.roots', value: ['/'] }],
      ] as const) {
        await expect(viewer.call(contract as never, args as never)).rejects.toMatchObject({
          code: 'PERMISSION_DENIED',
          message: expect.stringContaining(`viewer tokens may not call ${contract.name}`),
        });
      }
      expect(snapshot(home.workspace)).toEqual(workspaceBefore);
    });

    it(`an operator (${era}) uses tools under the policy but cannot administer`, async () => {
      const operator = await connect(tokens.operator, era);
      expect(
        await operator.call(writeFileTool, { path: `by-operator-${era}.txt`, content: 'ok' }),
      ).toMatchObject({
        created: true,
      });
      for (const [contract, args] of [
        [createTokenTool, { name: `escalate-op-${era}`, role: 'admin' }],
        [listTokensTool, {}],
        [setConfigTool, { key: 'security.tools.write_file', value: 'allow' }],
        [getAuditLogTool, {}],
      ] as const) {
        await expect(operator.call(contract as never, args as never)).rejects.toMatchObject({
          code: 'PERMISSION_DENIED',
          message: expect.stringMatching(/operator tokens may not call .*needs an admin token/),
        });
      }
    });
  }

  it('a revoked token is refused at its very next request', async () => {
    const token = await createToken('short-lived', 'operator');
    const client = await connect(token, 'modern');
    expect((await client.call(readFileTool, { path: 'notes.txt' })).content).toBe('notes\n');
    const revoked = await runAz(['token', 'revoke', 'short-lived'], { env: home.env });
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('short-lived revoked');
    await expect(client.call(readFileTool, { path: 'notes.txt' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const response = await rawRequest(daemon.url, {
      headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
      body: INITIALIZE,
    });
    expect(response.status).toBe(401);
    expect(response.body).toContain('revoked or mistyped');
    const again = await runAz(['token', 'revoke', 'short-lived', '--json'], { env: home.env });
    expect(JSON.parse(again.stdout)).toMatchObject({ already_revoked: true });
  });

  it('forged tokens are refused with 401', async () => {
    const changed = `${tokens.viewer.slice(0, -1)}${tokens.viewer.endsWith('A') ? 'B' : 'A'}`;
    const hashAsToken = createHash('sha256').update(tokens.operator).digest('hex');
    for (const forged of [
      changed,
      `azos_t_${'A'.repeat(43)}`,
      hashAsToken,
      `${tokens.operator}x`,
      tokens.operator.slice(0, -2),
      `${daemon.token}${tokens.viewer}`,
    ]) {
      const response = await rawRequest(daemon.url, {
        headers: { ...JSON_HEADERS, authorization: `Bearer ${forged}` },
        body: INITIALIZE,
      });
      expect(response.status, forged).toBe(401);
    }
  });

  it('token names are unique forever and "admin" is reserved', async () => {
    const duplicate = await runAz(['token', 'create', '--name', 'viewer-1', '--role', 'admin'], {
      env: home.env,
    });
    expect(duplicate.code).toBe(4);
    expect(duplicate.stderr).toContain("a token named 'viewer-1' already exists");
    const reserved = await runAz(['token', 'create', '--name', 'admin', '--role', 'viewer'], {
      env: home.env,
    });
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toContain('reserved');
    const noRole = await runAz(['token', 'create', '--name', 'x'], { env: home.env });
    expect(noRole.code).toBe(2);
    // Without --json: the token alone on stdout (for scripts and copying), the advice on stderr.
    const plain = await runAz(['token', 'create', '--name', 'plain', '--role', 'viewer'], { env: home.env });
    expect(plain.stdout).toMatch(/^azos_t_[A-Za-z0-9_-]{43}\n$/);
    expect(plain.stderr).toContain('it is not shown again');
    const help = await runAz(['--help'], { env: home.env });
    expect(help.stdout).toMatch(/token create[\s\S]*audit verify/);
  });

  it('the audit log names the token and role behind every call, refused ones included', async () => {
    const shown = await runAz(['audit', 'show', '--principal', 'viewer-1', '--limit', '200', '--json'], {
      env: home.env,
    });
    const entries = (JSON.parse(shown.stdout) as { entries: Record<string, unknown>[] }).entries;
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tool: 'read_file', role: 'viewer', via: 'http', outcome: 'ok' }),
        expect.objectContaining({ tool: 'write_file', outcome: 'error', error_code: 'PERMISSION_DENIED' }),
        expect.objectContaining({ tool: 'create_token', outcome: 'error', error_code: 'PERMISSION_DENIED' }),
      ]),
    );
    const verify = await runAz(['audit', 'verify'], { env: home.env });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/audit log intact: \d+ rows/);
  });
});
