/**
 * Audit retention against the real hash-chained audit table (test/fixtures/audit-chain.ts appends to it at
 * chosen times): segments are pruned only when they verify, replaced by signed anchors, and the chain
 * verifies afterwards.
 */
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzClient } from '../../../protocol/client.js';
import { pruneDataTool } from '../../../protocol/tools/data-tools.js';
import { setConfigTool } from '../../../protocol/tools/system-tools.js';
import { composeRuntime, type Runtime } from '../../../server/compose.js';
import {
  createAnchorSigner,
  homeAnchorSigner,
  listAnchors,
  verifyAuditChain,
  type AnchorSigner,
} from '../../../server/data-protection/retention/audit-chain.js';
import {
  auditRetentionTarget,
  pruneAuditChain,
} from '../../../server/data-protection/retention/audit-segments.js';
import { createMcpServerInstance } from '../../../server/mcp/create-mcp-server.js';
import { auditService } from '../../../server/audit/audit-service.js';
import { SERVICES } from '../../../server/services.js';
import type { Db } from '../../../server/store/database.js';
import { createAuditFixture, type AuditFixture } from '../../fixtures/audit-chain.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 31);

let home: TempHome;
let runtime: Runtime;
let db: Db;
let audit: AuditFixture;
let signer: AnchorSigner;

const context = (dryRun = false) => ({ now: NOW, dryRun, signal: new AbortController().signal });

beforeEach(async () => {
  home = createTempHome('az-audit-');
  runtime = await composeRuntime({ env: home.env }, 'in-process', { runTasks: false }, [
    // Without the audit service's observer, so the tool calls of this test do not add entries of their own.
    ...SERVICES.filter(service => service !== auditService),
    // What the audit subsystem does once its table exists: register its chain as the 'audit' target.
    ({ core }) => {
      const fixture = createAuditFixture(core.db);
      core.retentionTargets.set(
        'audit',
        auditRetentionTarget({
          db: core.db,
          source: fixture.source,
          signer: homeAnchorSigner(core.db),
          segmentSize: 10,
        }),
      );
    },
  ]);
  db = runtime.core.db;
  audit = createAuditFixture(db);
  signer = homeAnchorSigner(db);
});

afterEach(async () => {
  await runtime.close();
  home.cleanup();
});

/** `count` entries, one a day, the newest half a day plus `newestDaysAgo` days before NOW. */
function fill(count: number, newestDaysAgo = 0): void {
  for (let index = count - 1; index >= 0; index -= 1) {
    audit.append({ createdAt: NOW - (newestDaysAgo + index + 0.5) * DAY, tool: `tool_${index}` });
  }
}

describe('audit retention', () => {
  it('prunes old entries as verified segments, keeps every entry inside the policy, and the chain still verifies', async () => {
    fill(60);
    expect(verifyAuditChain(db, audit.source, signer)).toMatchObject({ ok: true, entries: 60 });
    const outcome = await pruneAuditChain(
      { db, source: audit.source, signer, segmentSize: 10 },
      { max_age_days: 30, max_count: null },
      context(),
    );
    // Entries 30..59 days old go (30 of them), in three segments of 10.
    expect(outcome).toMatchObject({ matched: 30, deleted: 30 });
    expect(listAnchors(db)).toHaveLength(3);
    const kept = audit.rows();
    expect(kept).toHaveLength(30);
    expect(kept.every(row => row.created_at >= NOW - 30 * DAY)).toBe(true);
    expect(verifyAuditChain(db, audit.source, signer)).toEqual({
      ok: true,
      anchors: 3,
      pruned_entries: 30,
      entries: 30,
      problem: null,
    });
  });

  it('chains anchors across prunes and enforces a count limit', async () => {
    fill(25);
    await pruneAuditChain(
      { db, source: audit.source, signer },
      { max_age_days: 20, max_count: null },
      context(),
    );
    fill(5, -10);
    await pruneAuditChain(
      { db, source: audit.source, signer },
      { max_age_days: null, max_count: 12 },
      context(),
    );
    expect(audit.rows()).toHaveLength(12);
    const verification = verifyAuditChain(db, audit.source, signer);
    expect(verification).toMatchObject({ ok: true, anchors: 2, pruned_entries: 18, entries: 12 });
  });

  it('counts on a dry run and deletes nothing', async () => {
    fill(40);
    const outcome = await pruneAuditChain(
      { db, source: audit.source, signer },
      { max_age_days: 10, max_count: null },
      context(true),
    );
    expect(outcome).toMatchObject({ matched: 30, deleted: 0 });
    expect(audit.rows()).toHaveLength(40);
    expect(listAnchors(db)).toHaveLength(0);
  });

  it('refuses to prune a segment that does not verify, and keeps it as evidence', async () => {
    fill(40);
    const victim = audit.rows()[5];
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET outcome = 'tampered' WHERE seq = ?").run(victim?.seq);
    await expect(
      pruneAuditChain(
        { db, source: audit.source, signer, segmentSize: 100 },
        { max_age_days: 10, max_count: null },
        context(),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`entry ${victim?.seq}`) });
    expect(audit.rows()).toHaveLength(40);
    expect(listAnchors(db)).toHaveLength(0);
    expect(verifyAuditChain(db, audit.source, signer).problem).toMatchObject({
      seq: victim?.seq,
      anchor: false,
    });
  });

  it('detects an altered anchor, a removed anchor, an altered kept entry and a foreign signing key', async () => {
    fill(50);
    await pruneAuditChain(
      { db, source: audit.source, signer, segmentSize: 10 },
      { max_age_days: 20, max_count: null },
      context(),
    );
    const anchors = listAnchors(db);
    expect(anchors.length).toBeGreaterThan(1);

    db.prepare('UPDATE audit_anchors SET entries = entries - 1 WHERE seq = ?').run(anchors[1]?.seq);
    expect(verifyAuditChain(db, audit.source, signer).problem).toMatchObject({
      seq: anchors[1]?.seq,
      anchor: true,
    });
    db.prepare('UPDATE audit_anchors SET entries = entries + 1 WHERE seq = ?').run(anchors[1]?.seq);
    expect(verifyAuditChain(db, audit.source, signer).ok).toBe(true);

    expect(verifyAuditChain(db, audit.source, createAnchorSigner(Buffer.alloc(32, 7))).ok).toBe(false);

    const kept = audit.rows()[3];
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET args_sha256 = 'x' WHERE seq = ?").run(kept?.seq);
    expect(verifyAuditChain(db, audit.source, signer).problem).toMatchObject({
      seq: kept?.seq,
      anchor: false,
    });

    db.prepare('DELETE FROM audit_anchors WHERE seq = ?').run(anchors[0]?.seq);
    expect(verifyAuditChain(db, audit.source, signer).problem).toMatchObject({ anchor: true });
  });

  it('plugs into az db prune as the audit target through the retention registry', async () => {
    fill(30);
    const client = await connect(runtime);
    try {
      await client.call(setConfigTool, { key: 'retention.audit.max_count', value: 10 });
      const dry = await client.call(pruneDataTool, { dry_run: true, targets: ['audit'] });
      expect(dry.results[0]).toMatchObject({ target: 'audit', status: 'dry_run', matched: 20 });
      const result = await client.call(pruneDataTool, { targets: ['audit'] });
      expect(result.results[0]).toMatchObject({ status: 'pruned', deleted: 20 });
    } finally {
      await client.close();
    }
    expect(audit.rows()).toHaveLength(10);
    expect(verifyAuditChain(db, audit.source, signer)).toMatchObject({
      ok: true,
      pruned_entries: 20,
      entries: 10,
    });
  });
});

async function connect(target: Runtime): Promise<AzClient> {
  const server = createMcpServerInstance(target.core, target.registry, {
    principal: { name: 'test', role: 'admin', via: 'in-process' },
    profile: 'all',
    liveUpdates: 'subscribed',
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const sdk = new Client({ name: 'az-test', version: '0.0.0' });
  await sdk.connect(clientTransport);
  return new AzClient(sdk, () => server.close());
}
