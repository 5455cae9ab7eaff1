import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_SOURCE } from '../../../src/modules/policies/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { askTransfer, decideApproval, keyIdOf, registerPayer, SETUP } from '../approvals/fixtures.js';
import { evaluate } from '../policies/fixtures.js';
import { insertGap } from '../trust/fixtures.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads of JSON documents

const FILES = [
  'README.md',
  'agents.jsonl',
  'agent-lifecycle.jsonl',
  'policies.json',
  'decisions-summary.json',
  'violations.jsonl',
  'approvals.jsonl',
  'kpis.json',
  'kpi-snapshots.jsonl',
  'incidents.jsonl',
  'remediations.jsonl',
  'audit-log.jsonl',
  'audit-verification.json',
];

const lines = (text: string): Json[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);

/**
 * The evidence pack (docs/evidence.md): the archive extracts with the system's tar, its SHA256SUMS verifies with the
 * real `sha256sum -c`, a tampered file is caught, and its files hold what happened in the period.
 */
for (const target of databaseTargets) {
  describe(`GET /api/v1/evidence [${target.name}]`, () => {
    let t: TestApp;
    let work: string;
    let from: Date;
    let to: Date;
    let billing: Json;
    let shadow: Json;
    let remediationId: string;
    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'orca-evidence-test-'));
      t = await createTestApp(target);
      from = new Date(Date.now() - 5 * 60_000);
      const agent = async (body: Json) => (await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: t.as('operator'), payload: body })).json() as Json;
      billing = await agent({ name: 'evidence-billing', kind: 'llm_agent', role: 'analyst', classification: 'internal', owner: 'finance' });
      shadow = await agent({ name: 'evidence-shadow', kind: 'workflow', owner: 'unknown' });
      const quarantined = await t.app.inject({ method: 'POST', url: `/api/v1/agents/${shadow.id}/quarantine`, headers: t.as('operator'), payload: { reason: 'shadow AI found' } });
      expect(quarantined.statusCode).toBe(200);
      const policy = await t.app.inject({ method: 'PUT', url: '/api/v1/policies', headers: { ...t.as('operator'), 'content-type': 'application/yaml' }, payload: DEFAULT_POLICY_SOURCE });
      expect(policy.statusCode, policy.body).toBe(200);
      expect((await evaluate(t, { agent_id: billing.id, action: 'read', resource: 'crm.accounts', classification: 'internal' })).body.decision).toBe('allow');
      expect((await evaluate(t, { agent_id: billing.id, action: 'read', resource: 'hr.salaries', classification: 'restricted' })).body.decision).toBe('deny');
      expect((await evaluate(t, { agent_id: shadow.id, action: 'read', resource: 'crm', classification: 'public' })).body.decision).toBe('deny');
      const incident = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: t.as('operator'), payload: { kind: 'data_leak', severity: 'high', agent_id: billing.id, loss_usd: 250 } });
      expect(incident.statusCode).toBe(201);
      // A self-healing action of the period, as the remediation module records it (its own tests drive real ones).
      remediationId = '01900000-0000-7000-8000-0000000be001';
      const gapId = await insertGap(t, { detected_at: new Date(), contract: 'orders', type: 'missing_record' });
      await t.container.db.query(
        `insert into remediation (id, gap_id, gap_type, contract, rule, action, position, status, attempts, max_attempts, verify_within_ms, reason, created_at, updated_at)
         values ($1, $2, 'missing_record', 'orders', 'order-synced', 'open_incident', 0, 'failed', 1, 1, 60000, 'incident refused', $3, $3)`,
        [remediationId, gapId, new Date()],
      );
      to = new Date();
    });
    afterAll(async () => {
      await t?.close();
      rmSync(work, { recursive: true, force: true });
    });

    const exportPack = (query: string, role: 'admin' | 'operator' = 'admin') => t.app.inject({ method: 'GET', url: `/api/v1/evidence${query}`, headers: t.as(role) });
    const periodQuery = (start: Date, end: Date) => `?from=${encodeURIComponent(start.toISOString())}&to=${encodeURIComponent(end.toISOString())}`;

    /** Writes the archive, extracts it with tar and returns the folder it made. */
    function extract(body: Buffer, name: string): string {
      const dir = join(work, name);
      rmSync(dir, { recursive: true, force: true });
      const archive = join(work, `${name}.tar.gz`);
      writeFileSync(archive, body);
      spawnSync('mkdir', ['-p', dir]);
      const untar = spawnSync('tar', ['-xzf', archive, '-C', dir], { encoding: 'utf8' });
      expect(untar.status, untar.stderr).toBe(0);
      const [root] = readdirSync(dir);
      return join(dir, root!);
    }

    it('streams a tar.gz whose SHA256SUMS verifies with sha256sum -c, and catches a tampered file', async () => {
      const response = await exportPack(periodQuery(from, to));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toBe('application/gzip');
      const compact = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
      const root = `orca-evidence-${compact(from)}-${compact(to)}`;
      expect(response.headers['content-disposition']).toBe(`attachment; filename="${root}.tar.gz"`);
      const folder = extract(response.rawPayload, 'pack');
      expect(folder.endsWith(root)).toBe(true);

      const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder, encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      expect(check.stdout.trim().split('\n').sort()).toEqual([...FILES, 'manifest.json'].map((file) => `${file}: OK`).sort());

      appendFileSync(join(folder, 'violations.jsonl'), '{"forged":true}\n');
      const tampered = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder, encoding: 'utf8' });
      expect(tampered.status).toBe(1);
      expect(tampered.stdout).toContain('violations.jsonl: FAILED');
      expect(tampered.stdout).toContain('agents.jsonl: OK');
    });

    it('holds the period\'s inventory, policies, decisions, violations, KPIs, incidents and verified audit log', async () => {
      const folder = extract((await exportPack(periodQuery(from, to))).rawPayload, 'contents');
      const read = (file: string) => readFileSync(join(folder, file), 'utf8');
      const manifest = JSON.parse(read('manifest.json')) as Json;
      expect(manifest).toMatchObject({ format: 'orca-evidence-pack', format_version: 1, generated_by: expect.any(String), period: { from: from.toISOString(), to: to.toISOString() } });
      expect(manifest.files.map((file: Json) => file.path)).toEqual(FILES);
      expect(manifest.unavailable).toEqual([]);
      for (const file of manifest.files as Json[]) expect(Buffer.byteLength(read(file.path))).toBe(file.bytes);

      const agents = lines(read('agents.jsonl'));
      expect(agents.map((agent) => agent.name).sort()).toEqual(['evidence-billing', 'evidence-shadow']);
      expect(agents.find((agent) => agent.id === shadow.id)).toMatchObject({ status_now: 'quarantined', status_at_end: 'quarantined', status_at_start: null, owner: 'unknown' });
      expect(agents.find((agent) => agent.id === billing.id)).toMatchObject({ status_at_end: 'active', classification: 'internal', owner: 'finance' });
      const lifecycle = lines(read('agent-lifecycle.jsonl'));
      expect(lifecycle.find((event) => event.agent_id === shadow.id && event.to_status === 'quarantined')).toMatchObject({ from_status: 'active', reason: 'shadow AI found' });

      const policies = JSON.parse(read('policies.json')) as Json;
      expect(policies.versions.map((version: Json) => version.version)).toEqual([0, 1]);
      expect(policies.versions[0]).toMatchObject({ source: DEFAULT_POLICY_SOURCE, superseded_at: policies.versions[1].created_at });
      expect(policies.versions[1]).toMatchObject({ mode: 'enforce', format: 'yaml', source: DEFAULT_POLICY_SOURCE, superseded_at: null });

      const decisions = JSON.parse(read('decisions-summary.json')) as Json;
      expect(decisions.totals).toMatchObject({ total: 3, compliant: 1, with_violations: 2 });
      expect(decisions.by_decision).toEqual([
        { decision: 'allow', count: 1 },
        { decision: 'deny', count: 2 },
      ]);
      expect(decisions.by_policy_version).toEqual([{ policy_version: 1, count: 3, compliant: 1 }]);
      const violations = lines(read('violations.jsonl'));
      expect(violations.map((violation) => violation.rule).sort()).toEqual(['agent_status', 'classification_ceiling', 'role_classification']);
      expect(violations.find((violation) => violation.rule === 'agent_status')).toMatchObject({ agent_id: shadow.id, agent_name: 'evidence-shadow', severity: 'critical', action: 'read', resource: 'crm' });

      const kpis = JSON.parse(read('kpis.json')) as Json;
      expect(kpis.kpis).toMatchObject({ at: to.toISOString(), from: from.toISOString(), window_ms: to.getTime() - from.getTime() });
      expect(kpis.kpis.kpis.compliance_sla).toMatchObject({ numerator: 1, denominator: 3 });

      const incidents = lines(read('incidents.jsonl'));
      expect(incidents).toHaveLength(1);
      expect(incidents[0]).toMatchObject({ kind: 'data_leak', severity: 'high', agent_id: billing.id, loss_usd: 250, status: 'open' });

      const remediations = lines(read('remediations.jsonl'));
      expect(remediations).toHaveLength(1);
      expect(remediations[0]).toMatchObject({
        id: remediationId,
        contract: 'orders',
        rule: 'order-synced',
        action: 'open_incident',
        status: 'failed',
        attempts: 1,
        max_attempts: 1,
        reason: 'incident refused',
      });
      expect(manifest.files.find((file: Json) => file.path === 'remediations.jsonl')).toMatchObject({ records: 1 });

      const audit = lines(read('audit-log.jsonl'));
      const verification = JSON.parse(read('audit-verification.json')) as Json;
      expect(verification).toMatchObject({ valid: true, entries: audit.length, problem_count: 0, problems: [], whole_chain: { valid: true } });
      expect(audit.map((entry) => entry.seq)).toEqual(Array.from({ length: audit.length }, (_, index) => verification.first_seq + index));
      expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(['agent.create', 'policy.update', 'incident.open']));
      expect(audit[0]!.prev_hash).toBe(verification.anchor.hash);
    });

    it('records the export in the audit log', async () => {
      const entries = await t.app.inject({ method: 'GET', url: '/api/v1/audit?action=evidence.export', headers: t.as('admin') });
      expect((entries.json() as { items: Json[] }).items[0]).toMatchObject({ action: 'evidence.export', after: { from: from.toISOString(), to: to.toISOString() } });
    });

    it('includes the approvals of the period with their approvers, never their sealed callback', async () => {
      const at = new Date(to.getTime() - 1000);
      await t.container.db.query(
        `insert into approval (id, agent_id, action, resource, classification, rule, policy_version, requested_by, status, approvers, decided_by, decided_at,
                               expires_at, callback_url_sealed, callback_secret_sealed, created_at, updated_at)
         values ('01900000-0000-7000-8000-00000000a001', $1, 'transfer_funds', 'bank', 'internal', 'approval_required', 1, 'key-ingest', 'approved',
                 '[{"approver": "key-1", "via": "api", "reason": "checked", "at": "2026-01-01T00:00:00.000Z"}]'::jsonb, 'key-1', $2, $3, 'sealed-url', 'sealed-secret', $2, $2)`,
        [billing.id, at, new Date(to.getTime() + 86_400_000)],
      );
      const folder = extract((await exportPack(periodQuery(from, to))).rawPayload, 'approvals');
      const rows = lines(readFileSync(join(folder, 'approvals.jsonl'), 'utf8'));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: '01900000-0000-7000-8000-00000000a001', status: 'approved', decided_by: 'key-1', approvers: [{ approver: 'key-1', reason: 'checked' }] });
      expect(JSON.stringify(rows[0])).not.toContain('sealed');
      expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder }).status).toBe(0);
      await t.container.db.query(`delete from approval where id = '01900000-0000-7000-8000-00000000a001'`);
    });

    it('lists each approval\'s decisions: both approvers of an approved one, the approver and the denier of a denied one', async () => {
      // Real approvals through the API, with the policy asking for two distinct approvers; after the suite's period.
      const started = new Date();
      const current = (await t.app.inject({ method: 'GET', url: '/api/v1/policies', headers: t.as('viewer') })).json() as { document: Json };
      const twoApprovers = { ...current.document, approval: { actions: ['transfer_funds'], approvers: 2, expires_after: '2h' } };
      expect((await t.app.inject({ method: 'PUT', url: '/api/v1/policies', headers: t.as('operator'), payload: twoApprovers })).statusCode).toBe(200);
      try {
        const payer = await registerPayer(t);
        const second = await t.container.modules.keys.service.create(SETUP, { name: 'evidence-second-approver', role: 'operator' });
        const secondHeaders = { 'x-api-key': second.secret };
        const firstId = await keyIdOf(t, 'operator');
        const approvedId = (await askTransfer(t, payer)).body.approval!.id;
        expect((await decideApproval(t, approvedId, 'approve', t.as('operator'), 'invoice matches the order')).status).toBe(200);
        const approved = await decideApproval(t, approvedId, 'approve', secondHeaders, 'second pair of eyes');
        expect(approved.body).toMatchObject({ status: 'approved' });
        const deniedId = (await askTransfer(t, payer)).body.approval!.id;
        expect((await decideApproval(t, deniedId, 'approve', t.as('operator'), 'looks fine')).status).toBe(200);
        const denied = await decideApproval(t, deniedId, 'deny', secondHeaders, 'vendor not on the list');
        expect(denied.body).toMatchObject({ status: 'denied' });
        const votes = (approval: Json) => approval.approvals as Array<{ at: string }>;

        const folder = extract((await exportPack(periodQuery(started, new Date()))).rawPayload, 'approvers');
        expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder }).status).toBe(0);
        const rows = new Map(lines(readFileSync(join(folder, 'approvals.jsonl'), 'utf8')).map((row) => [row.id as string, row]));
        const decisionsOf = (id: string) => (rows.get(id)!.decisions as Json[]).map((decision) => ({ ...decision, at: new Date(decision.at as string).toISOString() }));
        expect(decisionsOf(approvedId)).toEqual([
          { verdict: 'approve', by: firstId, key_name: 'test-operator', via: 'api', reason: 'invoice matches the order', at: votes(approved.body)[0]!.at },
          { verdict: 'approve', by: second.key.id, key_name: 'evidence-second-approver', via: 'api', reason: 'second pair of eyes', at: votes(approved.body)[1]!.at },
        ]);
        expect(rows.get(approvedId)).toMatchObject({ status: 'approved', approvals_required: 2, decided_by: second.key.id });
        expect(decisionsOf(deniedId)).toEqual([
          { verdict: 'approve', by: firstId, key_name: 'test-operator', via: 'api', reason: 'looks fine', at: votes(denied.body)[0]!.at },
          { verdict: 'deny', by: second.key.id, key_name: 'evidence-second-approver', via: null, reason: 'vendor not on the list', at: denied.body.decided_at },
        ]);
        expect(rows.get(deniedId)).toMatchObject({ status: 'denied', decided_by: second.key.id, decision_reason: 'vendor not on the list' });
      } finally {
        await t.app.inject({ method: 'PUT', url: '/api/v1/policies', headers: t.as('operator'), payload: current.document });
      }
    });

    it('pages through thousands of violations in time order, from inclusive and to exclusive', async () => {
      // 2,500 violations spread over the period and one exactly at `from` (three pages of 1,000), one just before
      // `from` and one exactly at `to` (both outside the period).
      const insert = (at: Date, count = 1, stepMs = 0) =>
        t.container.db.query(
          `with d as (
             insert into decision (id, at, agent_id, action, resource, classification, decision, violations, max_severity, compliant, latency_us, policy_version, mode, facts)
             select gen_random_uuid(), $1::timestamptz + (g * $3::int) * interval '1 millisecond', $4, 'read', 'bulk-' || g, 'internal', 'deny', '[]'::jsonb, 'high', false, 1, 1, 'enforce', '{}'::jsonb
               from generate_series(1, $2::int) g
             returning id, at, agent_id)
           insert into policy_violation (id, decision_id, at, agent_id, rule, severity, detail, decision, mode, policy_version)
           select gen_random_uuid(), id, at, agent_id, 'bulk', 'high', 'paging test', 'deny', 'enforce', 1 from d`,
          [at, count, stepMs, billing.id],
        );
      await insert(new Date(from.getTime() + 1000), 2500, 10);
      await insert(from);
      await insert(new Date(from.getTime() - 1));
      await insert(to);
      const folder = extract((await exportPack(periodQuery(from, to))).rawPayload, 'paging');
      const violations = lines(readFileSync(join(folder, 'violations.jsonl'), 'utf8')).filter((violation) => violation.rule === 'bulk');
      expect(violations).toHaveLength(2501);
      expect(new Set(violations.map((violation) => violation.id)).size).toBe(2501);
      const times = violations.map((violation) => Date.parse(violation.at as string));
      expect(times[0]).toBe(from.getTime());
      expect(times.every((time, index) => index === 0 || time >= times[index - 1]!)).toBe(true);
      expect(Math.max(...times)).toBeLessThan(to.getTime());
      const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as Json;
      expect(manifest.files.find((file: Json) => file.path === 'violations.jsonl').records).toBe(2504);
    });

    it('refuses a period that is reversed, unfinished, too old or too long with a 400, and non-admins', async () => {
      const reversed = await exportPack(periodQuery(to, from));
      expect(reversed.statusCode).toBe(400);
      expect(reversed.headers['content-type']).toContain('application/problem+json');
      expect(reversed.json().errors).toEqual([{ path: '/querystring/from', message: `from (${to.toISOString()}) must be before to (${from.toISOString()})` }]);
      const future = await exportPack(periodQuery(from, new Date(Date.now() + 3_600_000)));
      expect(future.statusCode).toBe(400);
      expect(future.json().errors[0].path).toBe('/querystring/to');
      const old = await exportPack(periodQuery(new Date('2000-01-01T00:00:00Z'), new Date('2000-02-01T00:00:00Z')));
      expect(old.statusCode).toBe(400);
      expect(old.json().detail).toContain('older than the evidence retention of 730d (EVIDENCE_RETENTION)');
      // Within the retention, but longer than a pack covers.
      const long = await exportPack(periodQuery(new Date(Date.now() - 400 * 86_400_000), new Date(Date.now() - 86_400_000)));
      expect(long.statusCode).toBe(400);
      expect(long.json().errors).toEqual([{ path: '/querystring/to', message: 'the period is longer than 365 days: split it into several packs' }]);
      expect((await exportPack(`?from=${encodeURIComponent(from.toISOString())}`)).statusCode).toBe(400);
      expect((await exportPack('?from=yesterday&to=today')).statusCode).toBe(400);
      expect((await exportPack(periodQuery(from, to), 'operator')).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/evidence${periodQuery(from, to)}` })).statusCode).toBe(401);
    });
  });
}
