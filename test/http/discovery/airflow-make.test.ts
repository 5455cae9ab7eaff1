import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { agentsOf, createSource, runSource } from './discovery-helpers.js';
import { dag, startFakeAirflow, type FakeAirflow } from './fakes/airflow.js';
import { scenario, startFakeMake, type FakeMake } from './fakes/make.js';

/** Airflow and Make discovery against local servers written from their API references: pages, auth, errors. */

// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- made-up credentials for the local fakes
const AIRFLOW = { username: 'orca-viewer', password: 'viewer-pass-123', token: 'airflow-token-abc' };
const MAKE_TOKEN = 'make-token-0123456789';

describe.each(databaseTargets.map((target) => [target.name, target] as const))('Airflow and Make discovery [%s]', (_name, target) => {
  let t: TestApp;
  let airflow: FakeAirflow;
  let make: FakeMake;
  const name = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestApp(target, { OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', OUTBOUND_TIMEOUT: '2s' });
    airflow = await startFakeAirflow({ ...AIRFLOW, dags: [...Array.from({ length: 249 }, (_, index) => dag(`etl_${index}`)), dag('support_llm', { tags: ['LLM', 'support'], owner: 'ml-team' })] });
    make = await startFakeMake({ token: MAKE_TOKEN, teamId: 7, scenarios: [...Array.from({ length: 229 }, (_, index) => scenario(index + 1)), scenario(500, ['gateway', 'openai-gpt-3', 'slack'])] });
  });
  afterAll(async () => {
    await t?.close();
    await airflow?.close();
    await make?.close();
  });

  it('lists every page of Airflow DAGs with basic auth; a DAG tagged llm is an agent, the others pipelines', async () => {
    const source = await createSource(t, { kind: 'airflow', name: name('airflow'), config: { url: airflow.url }, credentials: { username: AIRFLOW.username, password: AIRFLOW.password } });
    const run = await runSource(t, source.id);
    expect(run).toMatchObject({ status: 'succeeded', found: 250, new: 250, errors: [] });
    expect(airflow.listRequests().map((request) => new URL(request.url, 'http://x').searchParams.get('offset'))).toEqual(['0', '100', '200']);
    const agents = await agentsOf(t, source.id);
    expect(agents.get('support_llm')).toMatchObject({ kind: 'llm_agent', source: 'airflow', external_id: `${airflow.url}/dags/support_llm`, owner: 'ml-team', tags: ['LLM', 'support'], status: 'quarantined' });
    expect(agents.get('etl_0')).toMatchObject({ kind: 'pipeline', config: { fileloc: '/opt/airflow/dags/etl_0.py', schedule: { __type: 'CronExpression', value: '0 * * * *' } } });
  });

  it('accepts a bearer token for Airflow, and fails clearly on a refused password', async () => {
    const withToken = await createSource(t, { kind: 'airflow', name: name('airflow-token'), config: { url: airflow.url, page_size: 50 }, credentials: { token: AIRFLOW.token } });
    expect(await runSource(t, withToken.id)).toMatchObject({ status: 'succeeded', found: 250 });
    const refused = await createSource(t, { kind: 'airflow', name: name('airflow-bad'), config: { url: airflow.url }, credentials: { username: AIRFLOW.username, password: 'wrong-password' } });
    const run = await runSource(t, refused.id);
    expect(run).toMatchObject({ status: 'failed', errors: [{ code: 'unauthorized', message: 'Airflow refused the credentials (HTTP 401): check the key and that it may read what discovery lists' }] });
  });

  it('lists every page of Make scenarios for a team; a scenario using an AI app is an agent, the others automations', async () => {
    const source = await createSource(t, { kind: 'make', name: name('make'), config: { zone_url: make.url, team_id: 7, page_size: 100 }, credentials: { api_token: MAKE_TOKEN } });
    const run = await runSource(t, source.id);
    expect(run).toMatchObject({ status: 'succeeded', found: 230, new: 230, errors: [] });
    const requests = make.listRequests().map((request) => new URL(request.url, 'http://x').searchParams);
    expect(requests.map((query) => [query.get('teamId'), query.get('pg[limit]'), query.get('pg[offset]')])).toEqual([
      ['7', '100', '0'],
      ['7', '100', '100'],
      ['7', '100', '200'],
    ]);
    for (const request of make.listRequests()) expect(request.headers.authorization).toBe(`Token ${MAKE_TOKEN}`);
    const agents = await agentsOf(t, source.id);
    expect(agents.get('500')).toMatchObject({ kind: 'llm_agent', source: 'make', external_id: `${make.url}/scenarios/500`, config: { used_packages: ['gateway', 'openai-gpt-3', 'slack'] } });
    expect(agents.get('1')).toMatchObject({ kind: 'workflow', status: 'quarantined' });
  });

  it('rides out a Make 429 with Retry-After, and fails clearly on a refused token', async () => {
    const source = await createSource(t, { kind: 'make', name: name('make-429'), config: { zone_url: make.url, team_id: 7, page_size: 100 }, credentials: { api_token: MAKE_TOKEN } });
    make.disrupt(2, { status: 429, headers: { 'retry-after': '1' } });
    expect(await runSource(t, source.id)).toMatchObject({ status: 'succeeded', found: 230 });
    const refused = await createSource(t, { kind: 'make', name: name('make-bad'), config: { zone_url: make.url, organization_id: 3 }, credentials: { api_token: 'another-token' } });
    const run = await runSource(t, refused.id);
    expect(run).toMatchObject({ status: 'failed', errors: [{ code: 'unauthorized', message: 'Make refused the credentials (HTTP 401): check the key and that it may read what discovery lists' }] });
  });
});
