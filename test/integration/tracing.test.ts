import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsSchemaFor } from '../../src/platform/jobs/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';
import { startTestReceiver, type TestReceiver } from '../helpers/http-receiver.js';
import { waitFor } from '../helpers/jobs.js';
import { createSource, type Run } from '../http/discovery/discovery-helpers.js';
import { startFakeN8n, workflow, type FakeN8n } from '../http/discovery/fakes/n8n.js';

/**
 * OpenTelemetry traces end to end (docs/observability.md, "Traces"): ORCA exports to a local OTLP/HTTP receiver
 * (this test's HTTP server, reading the exporter's JSON). One request that queues a job which calls out must make one
 * trace: the caller's traceparent → the request's server span → its statements → the job's span → the job's
 * statements and its outbound call, whose traceparent reaches the target; and the log lines carry the trace id.
 */

// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- a made-up key for the local fake n8n
const API_KEY = 'n8n_api_7ace0ffee0ddba11';
// The caller's trace (W3C Trace Context's own example ids).
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

// OTLP's SpanKind and StatusCode enums (opentelemetry-proto trace.proto), as the JSON encoding writes them.
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: OtlpValue }>;
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: OtlpValue }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

function attribute(span: OtlpSpan, key: string): string | number | boolean | undefined {
  const value = span.attributes.find((item) => item.key === key)?.value;
  if (!value) return undefined;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue;
}

describe.each(databaseTargets.map((target) => [target.name, target] as const))('OpenTelemetry traces [%s]', (_name, target) => {
  let t: TestApp;
  let otlp: TestReceiver;
  let n8n: FakeN8n;
  let sourceId: string;

  beforeAll(async () => {
    otlp = await startTestReceiver();
    n8n = await startFakeN8n({ apiKey: API_KEY, workflows: [workflow('w1', { ai: true, name: 'Traced agent' })] });
    t = await createTestApp(target, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url('/'), OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', OUTBOUND_RETRIES: '0' });
    const source = await createSource(t, { kind: 'n8n', name: `n8n-${randomBytes(3).toString('hex')}`, config: { url: n8n.url }, credentials: { api_key: API_KEY } });
    sourceId = source.id;
  });
  afterAll(async () => {
    await t?.close();
    await n8n?.close();
    await otlp?.close();
  });

  /** Every span exported so far, after the batch processor has sent what it holds. */
  async function exportedSpans(): Promise<{ spans: OtlpSpan[]; exports: OtlpExport[] }> {
    await t.container.tracing!.flush();
    const exports = otlp.requests.map((request) => {
      expect(request.url).toBe('/v1/traces');
      expect(request.headers['content-type']).toBe('application/json');
      return JSON.parse(request.body) as OtlpExport;
    });
    const spans = exports.flatMap((body) => body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
    return { spans, exports };
  }

  // Its budget covers its 120 s wait for the exported spans, not vitest's default 60 s.
  it('traces a request, its statements, the job it queues and the job’s outbound call as one trace, with the trace id on log lines', async () => {
    expect(t.container.tracing).toBeDefined();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/discovery/runs',
      headers: { ...t.as('operator'), traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` },
      payload: { source_id: sourceId },
    });
    expect(response.statusCode, response.body).toBe(202);
    const { id: runId } = response.json() as Run;
    const run = await waitFor(
      async () => (await t.app.inject({ method: 'GET', url: `/api/v1/discovery/runs/${runId}`, headers: t.as('viewer') })).json() as Run,
      (value) => ['succeeded', 'partial', 'failed'].includes(value.status),
      120_000,
    );
    expect(run).toMatchObject({ status: 'succeeded', found: 1, new: 1 });

    // The job's span ends once the job is recorded complete, just after the run's status is written.
    const { spans, exports } = await waitFor(exportedSpans, (exported) => exported.spans.some((span) => span.name === 'job discovery.run' && span.traceId === TRACE_ID), 120_000);
    const trace = spans.filter((span) => span.traceId === TRACE_ID);

    // The request: a server span, child of the caller's span.
    const server = trace.filter((span) => span.kind === SERVER);
    expect(server.map((span) => span.name)).toEqual(['POST /api/v1/discovery/runs']);
    const request = server[0]!;
    expect(request.parentSpanId).toBe(CALLER_SPAN_ID);
    expect(attribute(request, 'http.request.method')).toBe('POST');
    expect(attribute(request, 'http.route')).toBe('/api/v1/discovery/runs');
    expect(attribute(request, 'http.response.status_code')).toBe(202);
    expect(attribute(request, 'orca.correlation_id')).toBe(response.headers['x-correlation-id']);

    // Its statements: client spans under it, the run's row among them, with the SQL's placeholders and no values.
    const statements = trace.filter((span) => span.parentSpanId === request.spanId && span.kind === CLIENT);
    const insertRun = statements.find((span) => String(attribute(span, 'db.query.text')).startsWith('insert into discovery_run '));
    expect(insertRun).toBeDefined();
    expect(insertRun!.name).toBe('insert');
    expect(attribute(insertRun!, 'db.system.name')).toBe('postgresql');
    expect(attribute(insertRun!, 'db.operation.name')).toBe('insert');
    expect(attribute(insertRun!, 'orca.db.kind')).toBe(target.name === 'postgres' ? 'postgres' : 'pglite');
    expect(String(attribute(insertRun!, 'db.query.text'))).not.toContain(sourceId);

    // The job: a consumer span in the same trace, child of the request's span through the traceparent in its data.
    // (The run's new agent may queue an alert evaluation in turn: a job of the same trace, under this one.)
    const jobs = trace.filter((span) => span.kind === CONSUMER && span.name === 'job discovery.run');
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    for (const other of trace.filter((span) => span.kind === CONSUMER && span !== job)) expect(other.parentSpanId).toBe(job.spanId);
    expect(job.parentSpanId).toBe(request.spanId);
    expect(attribute(job, 'messaging.destination.name')).toBe('discovery.run');
    expect(attribute(job, 'orca.job.attempt')).toBe(1);
    expect(attribute(job, 'orca.job.outcome')).toBe('completed');
    const schema = jobsSchemaFor((await t.container.db.query<{ schema: string }>('select current_schema() as schema')).rows[0]!.schema);
    const stored = await t.container.db.query<{ data: { traceparent?: string } }>(`select data from ${schema}.job where name = 'discovery.run' and data->'payload'->>'run_id' = $1`, [runId]);
    expect(stored.rows.map((row) => row.data.traceparent)).toEqual([`00-${TRACE_ID}-${request.spanId}-01`]);
    expect(trace.filter((span) => span.parentSpanId === job.spanId && attribute(span, 'db.system.name') === 'postgresql').length).toBeGreaterThan(0);

    // The outbound call: a client span under the job; the target received a traceparent naming that span.
    const calls = trace.filter((span) => span.kind === CLIENT && attribute(span, 'orca.outbound.target_kind') !== undefined);
    expect(calls.map((span) => [span.name, span.parentSpanId, attribute(span, 'orca.outbound.target_kind'), attribute(span, 'http.response.status_code')])).toEqual([
      ['GET', job.spanId, 'discovery', 200],
    ]);
    expect(attribute(calls[0]!, 'server.address')).toBe('127.0.0.1');
    expect(n8n.listRequests().map((received) => received.headers.traceparent)).toEqual([`00-${TRACE_ID}-${calls[0]!.spanId}-01`]);

    // Every export names the service.
    for (const body of exports) {
      for (const resource of body.resourceSpans) expect(resource.resource.attributes.find((item) => item.key === 'service.name')?.value.stringValue).toBe('orca');
    }

    // Log lines: the request's access line and the job's lines carry the trace; lines outside any trace do not.
    const accessLine = t.logs.find((line) => line.msg === 'request completed' && line.correlation_id === response.headers['x-correlation-id']);
    expect(accessLine).toMatchObject({ trace_id: TRACE_ID, span_id: request.spanId, status_code: 202 });
    const finished = t.logs.find((line) => line.msg === 'discovery run finished' && line.run_id === runId);
    expect(finished).toMatchObject({ trace_id: TRACE_ID });
  }, 180_000);

  it('starts a new trace for a request without a valid traceparent', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: { ...t.as('viewer'), traceparent: 'not-a-traceparent' } });
    expect(response.statusCode).toBe(200);
    const { spans } = await exportedSpans();
    const server = spans.filter((span) => span.kind === SERVER && attribute(span, 'orca.correlation_id') === response.headers['x-correlation-id']);
    expect(server).toHaveLength(1);
    expect(server[0]!.parentSpanId ?? '').toBe('');
    expect(server[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(server[0]!.traceId).not.toBe(TRACE_ID);
    const accessLine = t.logs.find((line) => line.msg === 'request completed' && line.correlation_id === response.headers['x-correlation-id']);
    expect(accessLine).toMatchObject({ trace_id: server[0]!.traceId, span_id: server[0]!.spanId });
  });
});

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(databaseTargets[0]!);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('loads no tracing and writes no trace fields, even for a request that sends a traceparent', async () => {
    expect(t.container.tracing).toBeUndefined();
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: { ...t.as('viewer'), traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` } });
    expect(response.statusCode).toBe(200);
    const accessLine = t.logs.find((line) => line.msg === 'request completed' && line.correlation_id === response.headers['x-correlation-id']);
    expect(accessLine).toBeDefined();
    expect(accessLine).not.toHaveProperty('trace_id');
  });
});
