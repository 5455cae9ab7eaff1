import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { agentsOf, createSource, history, runSource, transition } from './discovery-helpers.js';
import { ACCOUNT, REGION, lambdaFunction, startFakeLambda, type FakeLambda } from './fakes/lambda.js';

/**
 * AWS Lambda discovery through the AWS SDK, its HTTP sent through ORCA's outbound client to a local Lambda written
 * from the API reference: ListFunctions over several pages, ListTags, a refused key, throttling, a code change.
 */

// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- made-up credentials for the local fake Lambda
const CREDENTIALS = { access_key_id: 'AKIAORCATESTKEY00001', secret_access_key: 'orcaTestSecretAccessKey0000000000000000' };

describe.each(databaseTargets.map((target) => [target.name, target] as const))('AWS Lambda discovery [%s]', (_name, target) => {
  let t: TestApp;
  let lambda: FakeLambda;
  let sourceId: string;
  const arn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

  beforeAll(async () => {
    t = await createTestApp(target, { OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', OUTBOUND_TIMEOUT: '2s', OUTBOUND_RETRIES: '2' });
    lambda = await startFakeLambda({ accessKeyId: CREDENTIALS.access_key_id, functions: Array.from({ length: 120 }, (_, index) => lambdaFunction(`fn-${String(index).padStart(3, '0')}`)) });
    lambda.tags.set(arn('fn-000'), { owner: 'payments-team', team: 'payments', 'orca:ai': 'true' });
    const source = await createSource(t, { kind: 'lambda', name: `lambda-${randomBytes(3).toString('hex')}`, config: { region: REGION, endpoint: lambda.url }, credentials: CREDENTIALS });
    sourceId = source.id;
  });
  afterAll(async () => {
    await t?.close();
    await lambda?.close();
  });

  it('lists every page of functions and their tags, signed with the source\'s key, and registers each in quarantine', async () => {
    const run = await runSource(t, sourceId);
    expect(run).toMatchObject({ status: 'succeeded', found: 120, new: 120, changed: 0, missing: 0, errors: [] });
    const pages = lambda.listRequests();
    expect(pages.map((request) => new URL(request.url, 'http://x').searchParams.get('Marker'))).toEqual([null, '50', '100']);
    for (const request of pages) expect(request.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.access_key_id}/\\d{8}/${REGION}/lambda/aws4_request`));
    // One ListTags per function (a request retried after a dropped connection counts once).
    expect(new Set(lambda.receiver.requests.filter((request) => request.url.startsWith('/2017-03-31/tags/')).map((request) => request.url)).size).toBe(120);
    const agents = await agentsOf(t, sourceId);
    expect(agents.size).toBe(120);
    const first = agents.get(arn('fn-000'))!;
    expect(first).toMatchObject({
      name: 'fn-000',
      kind: 'function',
      source: 'lambda',
      external_id: arn('fn-000'),
      status: 'quarantined',
      owner: 'payments-team',
      tags: ['orca:ai:true', 'team:payments'],
      config: {
        code_sha256: Buffer.from('fn-000-code-v1').toString('base64'),
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        package_type: 'Zip',
        role: `arn:aws:iam::${ACCOUNT}:role/fn-000-role`,
        architectures: ['arm64'],
        layers: [],
        environment_variables: ['OPENAI_API_KEY', 'TABLE'],
      },
    });
    // The names of environment variables are part of the definition; their values never leave AWS for ORCA's tables.
    const stored = await t.container.db.query<{ count: number }>(`select count(*)::int as count from agent where config::text like '%sk-never-read%' or metadata::text like '%sk-never-read%'`);
    expect(stored.rows[0]!.count).toBe(0);
    expect(JSON.stringify(t.logs)).not.toContain(CREDENTIALS.secret_access_key);
  });

  it('sends an approved function back to review when its code changes', async () => {
    const agents = await agentsOf(t, sourceId);
    const target = agents.get(arn('fn-001'))!;
    await transition(t, target.id, 'approve');
    lambda.functions = lambda.functions.map((fn) => (fn.FunctionName === 'fn-001' ? { ...fn, CodeSha256: Buffer.from('fn-001-code-v2').toString('base64'), MemorySize: 1024 } : fn));
    const run = await runSource(t, sourceId);
    expect(run).toMatchObject({ status: 'succeeded', found: 120, new: 0, changed: 1, unchanged: 119 });
    const after = (await agentsOf(t, sourceId)).get(arn('fn-001'))!;
    expect(after.status).toBe('needs_review');
    expect((await history(t, target.id)).at(-1)).toMatchObject({ action: 'review', changes: [{ change: 'config_changed', keys: ['code_sha256'] }] });
  });

  it('fails with a clear error when AWS refuses the key', async () => {
    const wrong = await createSource(t, {
      kind: 'lambda',
      name: `lambda-bad-${randomBytes(3).toString('hex')}`,
      config: { region: REGION, endpoint: lambda.url, include_tags: false },
      credentials: { access_key_id: 'AKIAWRONGKEY00000000', secret_access_key: 'wrongSecretAccessKey0000000000000000000' },
    });
    const run = await runSource(t, wrong.id);
    expect(run).toMatchObject({ status: 'failed', found: 0 });
    expect(run.errors).toEqual([{ code: 'unauthorized', message: 'AWS refused the credentials (HTTP 403 UnrecognizedClientException): they need lambda:ListFunctions and lambda:ListTags' }]);
    expect(JSON.stringify(run)).not.toContain('wrongSecretAccessKey');
  });

  it('rides out throttling on a later page (429 with Retry-After) and keeps the listing complete', async () => {
    lambda.disrupt(2, { status: 429, headers: { 'retry-after': '1' } });
    const run = await runSource(t, sourceId);
    expect(run).toMatchObject({ status: 'succeeded', found: 120, missing: 0 });
  });
});
