import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../helpers/app.js';
import { evaluate, registerAgent } from './fixtures.js';

/** GET/PUT /api/v1/policies, GET /policies/versions: validation with paths, versions, audit, monitor mode. */

const CLASSES = ['public', 'internal', 'confidential', 'restricted', 'critical'];
const allActions = (action: string) => Object.fromEntries(CLASSES.map((name) => [name, action]));

function minimalDocument(extra: Record<string, unknown> = {}) {
  return {
    classifications: CLASSES.map((name, index) => ({ name, risk_weight: index / 4 })),
    default_role: 'worker',
    roles: { worker: { classifications: ['*'], actions: ['read', 'write'] } },
    ...extra,
  };
}

const YAML_DOCUMENT = `# a YAML policy with comments
mode: monitor
default_role: worker
classifications:
${CLASSES.map((name, index) => `  - { name: ${name}, risk_weight: ${index / 4} }`).join('\n')}
roles:
  worker: { classifications: [public, internal], actions: [read] }
pii:
  custom:
    - name: employee_id
      pattern: 'EMP-[0-9]{6}'
      severity: medium
      risk_cost_usd: 200
      actions: { public: block, internal: redact, confidential: allow, restricted: allow, critical: allow }
`;

describeEachDatabase('policy documents', (ctx) => {
  const put = (payload: unknown, contentType = 'application/json', role: 'operator' | 'viewer' | 'admin' = 'operator') =>
    ctx().app.inject({
      method: 'PUT',
      url: '/api/v1/policies',
      headers: { ...ctx().as(role), 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const get = () => ctx().app.inject({ method: 'GET', url: '/api/v1/policies', headers: ctx().as('viewer') });

  it('serves the built-in default policy as version 0 until one is PUT', async () => {
    const response = await get();
    expect(response.statusCode).toBe(200);
    const body = response.json() as Record<string, unknown>;
    expect(body).toMatchObject({ version: 0, mode: 'enforce', active: true, format: 'yaml', created_by: 'orca' });
    expect(body.source).toContain('# ORCA default policy');
    expect((body.document as { approval: unknown }).approval).toEqual({ actions: ['delete_data', 'modify_permissions', 'execute_code', 'transfer_funds'] });
  });

  it('rejects invalid documents with 400 and the failing paths, storing nothing', async () => {
    const noRoles = await put({ classifications: [{ name: 'public', risk_weight: 0 }] });
    expect(noRoles.statusCode).toBe(400);
    expect(noRoles.json()).toMatchObject({ errors: [{ path: '/body/roles', message: "must have required property 'roles'" }] });

    const badRefs = await put(minimalDocument({ default_role: 'nobody', roles: { worker: { classifications: ['secretish'], actions: ['read'] } } }));
    expect(badRefs.statusCode).toBe(400);
    expect((badRefs.json() as { errors: unknown[] }).errors).toEqual([
      { path: '/body/roles/worker/classifications/0', message: '"secretish" is not a classification of this document' },
      { path: '/body/default_role', message: '"nobody" is not a role of this document' },
    ]);

    const backreference = await put(
      minimalDocument({ pii: { custom: [{ name: 'twice', pattern: '(a)\\1', severity: 'low', actions: allActions('redact') }] } }),
    );
    expect(backreference.statusCode).toBe(400);
    expect((backreference.json() as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('/body/pii/custom/0/pattern');

    const partialActions = await put(minimalDocument({ pii: { detectors: { email: { severity: 'low', actions: { public: 'redact' } } } } }));
    expect(partialActions.statusCode).toBe(400);
    expect((partialActions.json() as { errors: Array<{ path: string }> }).errors.map((error) => error.path)).toEqual([
      '/body/pii/detectors/email/actions/internal',
      '/body/pii/detectors/email/actions/confidential',
      '/body/pii/detectors/email/actions/restricted',
      '/body/pii/detectors/email/actions/critical',
    ]);

    const badRegion = await put(minimalDocument({ pii: { phone_regions: ['GB', 'XX'] } }));
    expect(badRegion.statusCode).toBe(400);
    expect((badRegion.json() as { errors: Array<{ path: string }> }).errors.map((error) => error.path)).toEqual(['/body/pii/phone_regions/1']);

    const badYaml = await put('roles: [unclosed', 'application/yaml');
    expect(badYaml.statusCode).toBe(400);
    expect(badYaml.json()).toMatchObject({ type: 'urn:orca:problem:bad_request', detail: expect.stringMatching(/^the document is not valid YAML \(\w+ at line 1, column \d+\)$/) });

    const nul = await put(minimalDocument({ description: 'a\u0000b' }));
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ errors: [{ path: '/body', message: 'must not contain NUL characters' }] });

    const deepYaml = await put(`description: x\nroles: ${'['.repeat(40)}${']'.repeat(40)}`, 'application/yaml');
    expect(deepYaml.statusCode).toBe(400);
    expect(deepYaml.json()).toMatchObject({ type: 'urn:orca:problem:bad_request', detail: 'the document nests deeper than 32 levels' });

    expect((await get()).json()).toMatchObject({ version: 0 });
  });

  it('needs an operator to PUT', async () => {
    expect((await put(minimalDocument(), 'application/json', 'viewer')).statusCode).toBe(403);
  });

  it('stores YAML with its comments, activates it at once, audits it, and keeps every version', async () => {
    const agentId = await registerAgent(ctx(), { role: 'worker', classification: 'internal' });
    const first = await put(YAML_DOCUMENT, 'application/yaml');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ version: 1, mode: 'monitor', active: true, format: 'yaml', source: YAML_DOCUMENT });
    expect((await get()).json()).toMatchObject({ version: 1, source: YAML_DOCUMENT });

    // Monitor mode: the custom detector's block is recorded as a violation, but the decision is allow.
    const monitored = await evaluate(ctx(), { agent_id: agentId, action: 'read', resource: 'x', classification: 'public', content: 'badge EMP-123456' });
    expect(monitored.body).toMatchObject({
      decision: 'allow',
      mode: 'monitor',
      policy_version: 1,
      violations: [{ rule: 'pii.employee_id', severity: 'medium', detail: '1 employee_id finding for a public destination: block' }],
    });
    const { rows } = await ctx().container.db.query<Record<string, unknown>>('select decision, compliant, risk_avoided_usd, mode from decision where id = $1', [monitored.body.decision_id]);
    expect(rows[0]).toEqual({ decision: 'allow', compliant: false, risk_avoided_usd: 0, mode: 'monitor' });

    const second = await put(minimalDocument({ mode: 'enforce', pii: { custom: [{ name: 'employee_id', pattern: 'emp-[0-9]{6}', case_insensitive: true, severity: 'medium', actions: allActions('redact') }] } }));
    expect(second.json()).toMatchObject({ version: 2, mode: 'enforce', format: 'json' });
    const enforced = await evaluate(ctx(), { agent_id: agentId, action: 'read', resource: 'x', classification: 'public', content: 'badge EMP-123456 ok' });
    expect(enforced.body).toMatchObject({ decision: 'redact', policy_version: 2, redacted_content: 'badge [REDACTED:employee_id] ok' });

    const versions = await ctx().app.inject({ method: 'GET', url: '/api/v1/policies/versions?limit=1', headers: ctx().as('viewer') });
    const page = versions.json() as { items: Array<Record<string, unknown>>; next_cursor: string };
    expect(page.items).toEqual([{ version: 2, mode: 'enforce', active: true, format: 'json', created_by: expect.any(String), created_at: expect.any(String) }]);
    const next = await ctx().app.inject({ method: 'GET', url: `/api/v1/policies/versions?cursor=${page.next_cursor}`, headers: ctx().as('viewer') });
    expect(next.json()).toMatchObject({ items: [{ version: 1, active: false, mode: 'monitor' }], next_cursor: null });

    const audit = await ctx().app.inject({ method: 'GET', url: '/api/v1/audit?limit=200', headers: ctx().as('admin') });
    const entries = (audit.json() as { items: Array<{ action: string; target: string }> }).items.filter((entry) => entry.action === 'policy.update');
    expect(entries.map((entry) => entry.target).sort()).toEqual(['policy:1', 'policy:2']);
  });
});
