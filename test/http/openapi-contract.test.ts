import { createHmac, randomUUID } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/platform/auth/permissions.js';
import { ROLES, type Role } from '../../src/platform/http/roles.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';
import { dereference } from '../helpers/openapi.js';
import { fixture, signDelivery, standardWebhooksSecret } from '../fixtures/ingest/sign.js';
import { insertGap } from './trust/fixtures.js';
import { compileDefaultPolicy } from '../../src/modules/policies/default-policy.js';

/**
 * The OpenAPI document served at /openapi.json is the contract, checked against the running app: every operation's
 * example request gets a success it declares, and every error it declares (401 without a key, 403 for a role the
 * matrix refuses and for a blocked address, 400 for a malformed id, query or body, 404 for an unknown id, 413 for an
 * oversized body, 415 for another media type, 429 once the limit is spent, 503 with the database gone, and the
 * 409/422 a route declares itself) is answered as declared: that status, `application/problem+json`, a body valid
 * against the documented schema. Conversely every answer this suite provokes, including the probes an operation does
 * not declare an error for, must be declared by its operation.
 *
 * One app per database, whose edge is set up so that each case can be reached without the others getting in the way:
 * keys are never limited, anonymous callers get one request per address (each request comes from a fresh address
 * through the trusted proxy, the 429 case from one that is spent), and one address range is blocked.
 */

const BLOCKED_ADDRESS = '203.0.113.7';
const SLACK_SECRET = 'contracttestslacksigningsecret01';
const SLACK_MAPPED_KEY = '0190b3c2-0000-7000-8000-00000000c0de';
const SPENT_ADDRESS = '198.51.100.9';
const EDGE_ENV = {
  RATE_LIMIT_MAX: '1',
  RATE_LIMIT_ROLE_MAX: ROLES.map((role) => `${role}:10000000`).join(','),
  BLOCKED_IPS: '203.0.113.0/24',
  TRUST_PROXY: '127.0.0.1',
  // Receivers point at a closed local port: a test or delivery fails at once, and nothing leaves the host.
  OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32',
  // Slack interactions verify with this secret; one Slack user maps to a key id (it needs no key for the checks here).
  APPROVALS_SLACK_SIGNING_SECRET: SLACK_SECRET,
  APPROVALS_SLACK_APPROVERS: `U0CONTRACT=${SLACK_MAPPED_KEY}`,
};
const CLOSED_LOCAL_URL = 'http://127.0.0.1:9/orca';
const OVERSIZED = 10 * 1024 * 1024 + 1;
const PROBLEM_JSON = 'application/problem+json';
const CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;

type Schema = Record<string, unknown>;

interface DocumentedResponse {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: Schema }>;
}

interface Operation {
  operationId: string;
  method: string;
  path: string;
  role: Role | 'public' | 'signed' | 'viewer_or_requester';
  summary?: string;
  tags?: string[];
  parameters: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, DocumentedResponse>;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; license?: { name: string } };
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path' | 'role'> & { 'x-orca-role': Operation['role'] }>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, DocumentedResponse> };
}

/** A request to one operation; the path parameters fill `{name}` in its path. */
interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** JSON, sent as application/json */
  body?: unknown;
  /** Sent as it is, with `contentType` */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** The key role to call with; `none` for no key. Default: the role the operation declares (none when keyless). */
  as?: Role | 'none';
  /** The client address, through the trusted proxy; a fresh one by default (anonymous callers get one request). */
  from?: string;
}

let addressCounter = 0;
/** A client address nobody has used: 10.x.y.z, counting up. */
function freshAddress(): string {
  addressCounter += 1;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);

for (const target of databaseTargets) {
  describe(`the OpenAPI document is the contract [${target.name}]`, () => {
    let t: TestApp;
    let document: OpenApiDocument;
    let operations: Operation[] = [];
    const validators = new Map<Schema, ValidateFunction>();
    /** The answers this suite saw, by operation, checked against the document as they arrive. */
    const seen = new Map<string, Set<number>>();

    // ---- requests and the document's view of their answers ---------------------------------------------------

    function urlOf(operation: Operation, call: Call): string {
      const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(call.params?.[name] ?? randomUUID()));
      const query = new URLSearchParams(call.query ?? {}).toString();
      return query ? `${path}?${query}` : path;
    }

    async function send(operation: Operation, call: Call = {}): Promise<LightMyRequestResponse> {
      const as = call.as ?? (operation.role === 'public' || operation.role === 'signed' ? 'none' : operation.role === 'viewer_or_requester' ? 'viewer' : operation.role);
      const headers: Record<string, string> = { 'x-forwarded-for': call.from ?? freshAddress(), ...(as === 'none' ? {} : t.as(as)), ...call.headers };
      const options: InjectOptions = { method: operation.method.toUpperCase() as InjectOptions['method'], url: urlOf(operation, call), headers };
      if (call.raw !== undefined) {
        options.payload = call.raw;
        if (call.contentType !== undefined) headers['content-type'] = call.contentType;
      } else if (call.body !== undefined) {
        options.payload = JSON.stringify(call.body);
        headers['content-type'] = call.contentType ?? 'application/json';
      }
      const response = await t.app.inject(options);
      expectDeclared(operation, response);
      return response;
    }

    function validatorFor(schema: Schema): ValidateFunction {
      let validate = validators.get(schema);
      if (!validate) {
        validate = ajv.compile(schema);
        validators.set(schema, validate);
      }
      return validate;
    }

    /** The answer is one the operation declares, in a declared media type, with a body valid against its schema. */
    function expectDeclared(operation: Operation, response: LightMyRequestResponse): void {
      const label = `${operation.operationId} answered ${response.statusCode}`;
      seen.set(operation.operationId, (seen.get(operation.operationId) ?? new Set()).add(response.statusCode));
      const declared = operation.responses[String(response.statusCode)];
      expect(declared, `${label}, which it does not declare: ${response.body.slice(0, 300)}`).toBeDefined();
      if (!declared?.content) {
        expect(response.body, `${label} with a body it does not declare`).toBe('');
        return;
      }
      const mediaType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
      expect(Object.keys(declared.content), `${label} as ${mediaType}`).toContain(mediaType);
      if (response.statusCode >= 400) expect(mediaType, `${label}: errors are problem documents`).toBe(response.statusCode === 503 && operation.operationId === 'getHealth' ? 'application/json' : PROBLEM_JSON);
      const schema = declared.content[mediaType]?.schema;
      if (schema && /json$/.test(mediaType)) {
        const validate = validatorFor(schema);
        const body = response.json() as unknown;
        expect(validate(body) ? [] : validate.errors, `${label}: the body does not match the documented schema`).toEqual([]);
        if (mediaType === PROBLEM_JSON) expect((body as { status: number }).status, label).toBe(response.statusCode);
      }
    }

    async function expectProblem(operation: Operation, status: number, call: Call, why: string): Promise<LightMyRequestResponse> {
      expect(Object.keys(operation.responses), `${operation.operationId} should declare ${status} (${why})`).toContain(String(status));
      const response = await send(operation, call);
      expect({ operation: operation.operationId, why, status: response.statusCode }).toEqual({ operation: operation.operationId, why, status });
      expect(response.headers['content-type']).toBe(`${PROBLEM_JSON}; charset=utf-8`);
      return response;
    }

    const declares = (operation: Operation, status: number) => operation.responses[String(status)] !== undefined;
    const keyed = (operation: Operation): operation is Operation & { role: Role | 'viewer_or_requester' } => operation.role !== 'public' && operation.role !== 'signed';
    const hasPathId = (operation: Operation) => operation.parameters.some((parameter) => parameter.in === 'path');
    const carriesBody = (operation: Operation) => ['post', 'put', 'patch', 'delete'].includes(operation.method);
    const byId = (operationId: string) => operations.find((operation) => operation.operationId === operationId)!;

    // ---- fixtures and one valid request per operation -----------------------------------------------------------

    async function call(operationId: string, request: Call): Promise<Record<string, unknown>> {
      const response = await send(byId(operationId), request);
      expect(response.statusCode, `${operationId}: ${response.body.slice(0, 300)}`).toBeLessThan(300);
      return response.json() as Record<string, unknown>;
    }
    const newAgent = async (): Promise<string> => (await call('createAgent', { body: { name: `contract-${randomUUID()}`, kind: 'workflow' } })).id as string;
    const newSource = async (): Promise<{ id: string; secret: string }> => {
      const secret = standardWebhooksSecret();
      const created = await call('createSource', { body: { kind: 'generic', name: `contract-${randomUUID()}`, secret } });
      return { id: created.id as string, secret };
    };
    const newReceiver = async (): Promise<string> => (await call('createReceiver', { body: { name: `contract-${randomUUID()}`, kind: 'webhook', url: CLOSED_LOCAL_URL } })).id as string;
    /** A delivery in the state asked for, its queued job standing down (another dispatch id) so that nothing changes it. */
    const newDelivery = async (status: 'pending' | 'dead_lettered'): Promise<string> => {
      const name = `contract-${randomUUID()}`;
      await call('createReceiver', { body: { name, kind: 'webhook', url: CLOSED_LOCAL_URL } });
      const notification = { id: randomUUID(), kind: 'alert' as const, receiver: name, groupKey: 'g', groupLabels: {}, status: 'firing' as const, alerts: [], correlationId: undefined };
      await t.container.modules.receivers.sink.enqueue(notification);
      const { rows } = await t.container.db.query<{ id: string }>(
        'update delivery set status = $2, dispatch_id = $3 where notification_id = $1 returning id',
        [notification.id, status, randomUUID()],
      );
      return rows[0]!.id;
    };
    const newDiscoverySource = async (body: Record<string, unknown> = {}): Promise<string> =>
      (await call('createDiscoverySource', { body: { kind: 'n8n', name: `contract-${randomUUID()}`, config: { url: CLOSED_LOCAL_URL }, credentials: { api_key: 'contract-key' }, ...body } })).id as string;
    const newReportSchedule = async (): Promise<string> =>
      (await call('createReportSchedule', { body: { name: 'contract', cron: '0 8 * * 1', report_kind: 'executive', receiver_ids: [await newReceiver()] } })).id as string;
    const newIncident = async (): Promise<string> => (await call('createIncident', { body: { kind: 'data_leak', severity: 'low' } })).id as string;
    const newKey = async (): Promise<string> => ((await call('createKey', { body: { name: `contract-${randomUUID()}`, role: 'viewer' } })).key as { id: string }).id;
    const activePolicy = async (): Promise<unknown> => (await call('getActivePolicy', {})).document;
    const contracts = (owner: string) => ({ contracts: [{ name: 'orders', owner, streams: [{ source: 'generic', entity_type: 'order', freshness: '1h' }] }] });
    const transitioned = async (actions: string[]): Promise<string> => {
      const id = await newAgent();
      for (const action of actions) await call(`${action}Agent`, { params: { id }, body: { reason: 'contract test' } });
      return id;
    };
    const gap = () =>
      insertGap(t, { detected_at: new Date(), contract: 'orders', type: 'missing_record' } as Parameters<typeof insertGap>[1]);
    const newRemediation = async (): Promise<string> => {
      const id = randomUUID();
      await t.container.db.query(
        `insert into remediation (id, gap_id, gap_type, rule, action, position, status, max_attempts, verify_within_ms, created_at, updated_at)
         values ($1, $2, 'missing_record', 'r', 'open_incident', 0, 'skipped', 1, 60000, now(), now())`,
        [id, await gap()],
      );
      return id;
    };
    /** A pending approval: an agent whose role may transfer funds asks to (as the ingest key), under the default policy. */
    const newApproval = async (): Promise<string> => {
      // Other cases replace the policy (one with a single role, in YAML): the default one holds transfer_funds.
      await call('replacePolicy', { body: compileDefaultPolicy().document });
      const agent = (await call('createAgent', { body: { name: `contract-${randomUUID()}`, kind: 'llm_agent', role: 'operator', classification: 'restricted' } })).id as string;
      const decided = await call('evaluatePolicy', { body: { agent_id: agent, action: 'transfer_funds', resource: 'bank', classification: 'internal' } });
      return (decided.approval as { id: string }).id;
    };
    /** A request to the Slack interactivity endpoint, signed as Slack signs it (v0) with the configured secret. */
    const slackRequest = (payload: unknown): Call => slackSigned(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const slackSigned = (raw: string): Call => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${timestamp}:${raw}`).digest('hex')}`;
      return { raw, contentType: 'application/x-www-form-urlencoded', headers: { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature } };
    };
    const slackClick = (approvalId: string) =>
      slackRequest({
        type: 'block_actions',
        user: { id: 'U0CONTRACT' },
        response_url: CLOSED_LOCAL_URL,
        actions: [{ action_id: 'orca_approval_approve', value: approvalId }],
      });
    const day = 86_400_000;
    const previewToken = async (): Promise<string> =>
      (await call('previewKillSwitch', { body: { selector: { agent_ids: [await newAgent()] } } })).preview_token as string;
    const newActivation = async (): Promise<string> =>
      (await call('activateKillSwitch', { body: { preview_token: await previewToken(), reason: 'contract test' } })).id as string;
    const silence = () => ({ matchers: ['alertname="contract"'], ends_at: new Date(Date.now() + day).toISOString(), comment: 'contract test' });
    /**
     * A console session, signed in with the real key of `role` through signIn itself: the headers of a read made with
     * its cookie, and of a write (the cookie and its CSRF token). The session routes take only such a cookie.
     */
    const newSession = async (role: Role = 'viewer'): Promise<{ read: Record<string, string>; write: Record<string, string> }> => {
      const response = await send(byId('signIn'), { body: { api_key: t.keys[role] } });
      expect(response.statusCode, `signIn: ${response.body.slice(0, 300)}`).toBe(201);
      const cookie = /^orca_session=[A-Za-z0-9_-]{43}(?=;)/.exec(String(response.headers['set-cookie']))?.[0];
      expect(cookie, String(response.headers['set-cookie'])).toBeDefined();
      const csrf = (response.json() as { csrf_token: string }).csrf_token;
      return { read: { cookie: cookie! }, write: { cookie: cookie!, 'x-csrf-token': csrf } };
    };

    /** A request each operation answers with a success; new operations must add theirs (the first test says so). */
    const EXAMPLES: Record<string, () => Promise<Call>> = {
      getLivez: async () => ({}),
      getLiveness: async () => ({}),
      getReadyz: async () => ({}),
      getReadiness: async () => ({}),
      getHealth: async () => ({}),
      getStatus: async () => ({}),
      getMetrics: async () => ({}),
      listAgents: async () => ({ query: { status: 'active', limit: '5' } }),
      createAgent: async () => ({ body: { name: `contract-${randomUUID()}`, kind: 'llm_agent', tags: ['contract'] } }),
      getAgent: async () => ({ params: { id: await newAgent() } }),
      updateAgent: async () => ({ params: { id: await newAgent() }, body: { owner: 'contract-team' } }),
      deleteAgent: async () => ({ params: { id: await newAgent() }, query: { reason: 'contract test' } }),
      suspendAgent: async () => ({ params: { id: await newAgent() }, body: { reason: 'contract test' } }),
      resumeAgent: async () => ({ params: { id: await transitioned(['suspend']) }, body: { reason: 'contract test' } }),
      quarantineAgent: async () => ({ params: { id: await newAgent() }, body: { reason: 'contract test' } }),
      approveAgent: async () => ({ params: { id: await transitioned(['quarantine']) }, body: { reason: 'contract test' } }),
      retireAgent: async () => ({ params: { id: await newAgent() }, body: { reason: 'contract test' } }),
      mergeAgent: async () => ({ params: { id: await newAgent() }, body: { into: await newAgent(), reason: 'contract test' } }),
      unmergeAgent: async () => {
        const survivor = await newAgent();
        // Merging an agent registered by hand gives it an identity on the survivor: the one to give back.
        const merged = await call('mergeAgent', { params: { id: await newAgent() }, body: { into: survivor, reason: 'contract test' } });
        const identity = (merged.identities as Array<{ id: string }>)[0]!.id;
        return { params: { id: survivor }, body: { identity, reason: 'contract test' } };
      },
      listAgentHistory: async () => ({ params: { id: await newAgent() } }),
      getAgentTrust: async () => ({ params: { id: await newAgent() }, query: { window: '7d' } }),
      listKeys: async () => ({ query: { limit: '5' } }),
      createKey: async () => ({ body: { name: `contract-${randomUUID()}`, role: 'viewer', expires_in: '30d' } }),
      getKey: async () => ({ params: { id: await newKey() } }),
      revokeKey: async () => ({ params: { id: await newKey() } }),
      listAuditEntries: async () => ({ query: { limit: '5' } }),
      verifyAuditChain: async () => ({}),
      getActivePolicy: async () => ({}),
      replacePolicy: async () => ({ body: await activePolicy() }),
      listPolicyVersions: async () => ({}),
      evaluatePolicy: async () => ({ body: { agent_id: await newAgent(), action: 'read', resource: 'crm', classification: 'internal' } }),
      simulatePolicy: async () => ({
        body: { policy: await activePolicy(), since: new Date(Date.now() - day).toISOString(), until: new Date().toISOString() },
      }),
      listViolations: async () => ({ query: { severity: 'high' } }),
      getSyncContracts: async () => {
        await call('replaceSyncContracts', { body: contracts(await newAgent()) });
        return {};
      },
      replaceSyncContracts: async () => ({ body: contracts(await newAgent()) }),
      listGaps: async () => ({ query: { status: 'open' } }),
      getGap: async () => ({ params: { id: await gap() } }),
      resolveGap: async () => ({ params: { id: await gap() }, body: { reason: 'fixed by hand' } }),
      getSyncFreshness: async () => ({}),
      listSources: async () => ({ query: { kind: 'generic' } }),
      createSource: async () => ({ body: { kind: 'generic', name: `contract-${randomUUID()}` } }),
      getSource: async () => ({ params: { id: (await newSource()).id } }),
      updateSource: async () => ({ params: { id: (await newSource()).id }, body: { enabled: false } }),
      deleteSource: async () => ({ params: { id: (await newSource()).id } }),
      rotateSourceSecret: async () => ({ params: { id: (await newSource()).id }, body: { overlap: '1h' } }),
      ingestWebhook: async () => {
        const source = await newSource();
        const url = `/api/v1/ingest/${source.id}`;
        const delivery = signDelivery('generic', fixture('generic', 'batch.json'), { secret: source.secret, now: new Date(), url });
        return { params: { sourceId: source.id }, raw: delivery.body, headers: delivery.headers };
      },
      ingestEvents: async () => ({
        body: {
          events: [
            {
              source_id: (await newSource()).id,
              idempotency_key: randomUUID(),
              event_type: 'order.created',
              entity_type: 'order',
              entity_id: 'O-1',
              occurred_at: new Date().toISOString(),
            },
          ],
        },
      }),
      listEvents: async () => ({ query: { time_field: 'occurred_at' } }),
      ingestRuns: async () => ({
        body: { runs: [{ id: randomUUID(), agent_id: await newAgent(), started_at: new Date().toISOString(), duration_ms: 120, outcome: 'success' }] },
      }),
      listIncidents: async () => ({ query: { status: 'open' } }),
      createIncident: async () => ({ body: { kind: 'data_leak', severity: 'medium', title: 'contract test' } }),
      getIncident: async () => ({ params: { id: await newIncident() } }),
      resolveIncident: async () => ({ params: { id: await newIncident() }, body: { note: 'contract test' } }),
      getKpis: async () => ({ query: { window: '30d' } }),
      listKpiSnapshots: async () => ({}),
      getExecutiveReport: async () => ({ query: { format: 'json' } }),
      getHealingReport: async () => ({ query: { format: 'json', window: '7d' } }),
      listRemediations: async () => ({ query: { status: 'pending', limit: '5' } }),
      getRemediation: async () => ({ params: { id: await newRemediation() } }),
      getDriftReport: async () => ({ query: { window: '7d', format: 'json' } }),
      listReportSchedules: async () => ({ query: { limit: '5' } }),
      createReportSchedule: async () => ({
        body: { name: 'contract', cron: '0 8 * * 1', time_zone: 'Europe/Paris', report_kind: 'drift', format: 'md', window: '7d', receiver_ids: [await newReceiver()] },
      }),
      getReportSchedule: async () => ({ params: { id: await newReportSchedule() } }),
      deleteReportSchedule: async () => ({ params: { id: await newReportSchedule() } }),
      listReportRuns: async () => ({ params: { id: await newReportSchedule() }, query: { limit: '5' } }),
      exportEvidencePack: async () => ({ query: { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() } }),
      listReceivers: async () => ({ query: { kind: 'webhook', limit: '5' } }),
      createReceiver: async () => ({ body: { name: `contract-${randomUUID()}`, kind: 'webhook', url: CLOSED_LOCAL_URL, token: 'contract-token' } }),
      getReceiver: async () => ({ params: { id: await newReceiver() } }),
      updateReceiver: async () => ({ params: { id: await newReceiver() }, body: { headers: { 'X-Team': 'contract' } } }),
      deleteReceiver: async () => ({ params: { id: await newReceiver() } }),
      testReceiver: async () => ({ params: { id: await newReceiver() } }),
      listDeliveries: async () => ({ query: { status: 'dead_lettered' } }),
      retryDelivery: async () => ({ params: { id: await newDelivery('dead_lettered') } }),
      getAlertRules: async () => ({}),
      replaceAlertRules: async () => ({ body: { rules: [{ name: 'contract', kind: 'incident_opened', match: { min_severity: 'high' }, severity: 'high' }] } }),
      listAlerts: async () => ({ query: { status: 'firing' } }),
      listSilences: async () => ({ query: { limit: '5' } }),
      createSilence: async () => ({ body: silence() }),
      expireSilence: async () => ({ params: { id: (await call('createSilence', { body: silence() })).id as string } }),
      previewKillSwitch: async () => ({ body: { selector: { agent_ids: [await newAgent()] } } }),
      activateKillSwitch: async () => ({ body: { preview_token: await previewToken(), reason: 'contract test' } }),
      listKillSwitches: async () => ({ query: { status: 'active', limit: '5' } }),
      getKillSwitch: async () => ({ params: { id: await newActivation() } }),
      releaseKillSwitch: async () => ({ params: { id: await newActivation() }, body: { reason: 'contract test' } }),
      listDiscoverySources: async () => ({ query: { kind: 'n8n', limit: '5' } }),
      createDiscoverySource: async () => ({ body: { kind: 'n8n', name: `contract-${randomUUID()}`, config: { url: CLOSED_LOCAL_URL }, credentials: { api_key: 'contract-key' }, schedule: '1h' } }),
      getDiscoverySource: async () => ({ params: { id: await newDiscoverySource() } }),
      updateDiscoverySource: async () => ({ params: { id: await newDiscoverySource() }, body: { schedule: '6h' } }),
      deleteDiscoverySource: async () => ({ params: { id: await newDiscoverySource() } }),
      createDiscoveryRun: async () => ({ body: { source_id: await newDiscoverySource() } }),
      listDiscoveryRuns: async () => ({ query: { status: 'failed', limit: '5' } }),
      getDiscoveryRun: async () => ({ params: { id: (await call('createDiscoveryRun', { body: { source_id: await newDiscoverySource() } })).id as string } }),
      listDiscoveryFindings: async () => ({ query: { kind: 'tool_poisoning' } }),
      listApprovals: async () => ({ query: { status: 'pending', limit: '5' } }),
      getApproval: async () => ({ params: { id: await newApproval() }, query: { wait: '0s' } }),
      approveApproval: async () => ({ params: { id: await newApproval() }, body: { reason: 'contract test' } }),
      denyApproval: async () => ({ params: { id: await newApproval() }, body: { reason: 'contract test' } }),
      // A verified interaction that is not an ORCA button: acknowledged, nothing else.
      receiveSlackInteraction: async () => slackRequest({ type: 'view_submission', user: { id: 'U0CONTRACT' } }),
      signIn: async () => ({ body: { api_key: t.keys.viewer } }),
      // Cookie-only routes: the session cookie (and, for the write, its CSRF token) with no key header.
      getSession: async () => ({ as: 'none', headers: (await newSession()).read }),
      signOut: async () => ({ as: 'none', headers: (await newSession('operator')).write }),
    };
    const example = async (operation: Operation): Promise<Call> => {
      const build = EXAMPLES[operation.operationId];
      if (!build) throw new Error(`no example request for ${operation.operationId}`);
      return build();
    };

    beforeAll(async () => {
      t = await createTestApp(target, EDGE_ENV);
      const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
      expect(response.statusCode).toBe(200);
      document = response.json() as OpenApiDocument;
      const resolved = dereference(document);
      operations = Object.entries(resolved.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({
          ...operation,
          method,
          path,
          role: operation['x-orca-role'],
          parameters: operation.parameters ?? [],
        })),
      );
    });

    afterAll(async () => {
      await t?.close();
    });

    // ---- the document -------------------------------------------------------------------------------------------

    it('names every operation with a unique camelCase operationId, and has an example request for each', () => {
      expect(operations.length).toBeGreaterThan(50);
      const ids = operations.map((operation) => operation.operationId);
      expect(ids.filter((id) => typeof id !== 'string' || !CAMEL_CASE.test(id))).toEqual([]);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => EXAMPLES[id] === undefined)).toEqual([]);
      expect(Object.keys(EXAMPLES).filter((id) => !ids.includes(id))).toEqual([]);
      for (const operation of operations) {
        expect(operation.summary, operation.operationId).toBeTruthy();
        expect(operation.tags?.length, operation.operationId).toBeGreaterThan(0);
      }
    });

    it('describes itself: info, relative servers, shared schemas and responses referenced from the operations', () => {
      expect(document.info).toMatchObject({ title: 'ORCA API', license: { name: 'Apache-2.0' } });
      expect(document.info.description).toContain('application/problem+json');
      expect(document.servers).toEqual([{ url: '/', description: 'the ORCA instance serving this document' }]);
      expect(Object.keys(document.components.schemas)).toEqual(
        expect.arrayContaining(['Problem', 'Agent', 'Source', 'Event', 'Decision', 'Gap', 'Incident', 'ApiKey', 'Policy', 'PolicyDocument', 'SyncContracts']),
      );
      const getAgent = document.paths['/api/v1/agents/{id}']!.get!;
      expect(getAgent.responses['200']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Agent' });
      expect(getAgent.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
      for (const [name, response] of Object.entries(document.components.responses)) {
        expect(response.content?.[PROBLEM_JSON]?.schema, name).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    });

    it('publishes the real schemas of policy documents and sync contracts, with their YAML media types', () => {
      const put = document.paths['/api/v1/policies']!.put!;
      expect(Object.keys(put.requestBody!.content)).toEqual(['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);
      for (const media of Object.values(put.requestBody!.content)) expect(media.schema).toEqual({ $ref: '#/components/schemas/PolicyDocument' });
      expect(document.components.schemas.Policy!.properties).toMatchObject({ document: { $ref: '#/components/schemas/PolicyDocument' } });
      expect(document.components.schemas.SimulateRequest!.properties).toMatchObject({ policy: { $ref: '#/components/schemas/PolicyDocument' } });
      const policyDocument = document.components.schemas.PolicyDocument!;
      expect(policyDocument).toMatchObject({ type: 'object', additionalProperties: false, required: ['classifications', 'roles'] });
      expect(Object.keys(policyDocument.properties as object)).toEqual(expect.arrayContaining(['mode', 'classifications', 'roles', 'pii', 'quotas', 'rules']));

      const contractsBody = document.paths['/api/v1/sync/contracts']!.put!.requestBody!.content;
      expect(Object.keys(contractsBody)).toEqual(expect.arrayContaining(['application/json', 'application/yaml', 'text/yaml']));
      expect(contractsBody['application/json']!.schema).toEqual({ $ref: '#/components/schemas/SyncContracts' });
      expect(document.components.schemas.SyncContracts).toMatchObject({ type: 'object', required: ['contracts'] });
    });

    // ---- successes ------------------------------------------------------------------------------------------------

    it("answers every operation's example request with a success it declares", async () => {
      for (const operation of operations) {
        const response = await send(operation, await example(operation));
        expect(response.statusCode, `${operation.operationId}: ${response.body.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
        expect(response.statusCode, `${operation.operationId}: ${response.body.slice(0, 300)}`).toBeLessThan(300);
      }
    });

    it('answers a repeated ingestion with 200 and a first one with 201, as declared', async () => {
      for (const operationId of ['ingestWebhook', 'ingestEvents', 'ingestRuns']) {
        const operation = byId(operationId);
        const request = await example(operation);
        expect((await send(operation, request)).statusCode, operationId).toBe(201);
        const repeat = await send(operation, request);
        expect(repeat.statusCode, `${operationId}: ${repeat.body.slice(0, 300)}`).toBe(200);
      }
    });

    it('accepts a policy document as YAML, as it declares', async () => {
      const response = await send(byId('replacePolicy'), {
        raw: 'classifications:\n  - { name: public, risk_weight: 0 }\nroles:\n  reader: { classifications: [public], actions: [read] }\n',
        contentType: 'application/yaml',
      });
      expect(response.statusCode, response.body).toBe(200);
      expect((response.json() as { format: string }).format).toBe('yaml');
    });

    // ---- the edge: 401, 403, 429 --------------------------------------------------------------------------------

    it('answers 401 to every keyed or signed operation called without a valid key, and never to a public one', async () => {
      for (const operation of operations) {
        if (operation.role === 'public') {
          expect(declares(operation, 401), operation.operationId).toBe(false);
          expect((await send(operation, { headers: { 'x-api-key': 'orca_000000000000_not-a-key' } })).statusCode, operation.operationId).toBeLessThan(300);
          continue;
        }
        if (keyed(operation)) {
          const response = await expectProblem(operation, 401, { as: 'none' }, 'no key');
          expect(response.headers['www-authenticate']).toBe('Bearer realm="orca"');
        }
        await expectProblem(operation, 401, { as: 'none', headers: { 'x-api-key': 'orca_000000000000_not-a-key' } }, 'an unknown key');
      }
      // A webhook's own 401: a signature that does not verify.
      const source = await newSource();
      await expectProblem(byId('ingestWebhook'), 401, { params: { sourceId: source.id }, raw: '{"type":"x"}', contentType: 'application/json' }, 'no signature');
      await expectProblem(byId('receiveSlackInteraction'), 401, { raw: 'payload=%7B%7D', contentType: 'application/x-www-form-urlencoded' }, 'no signature');
      // The sign-in's own 401: a key in the body that is not accepted. The cookie routes' own: a session that ended.
      await expectProblem(byId('signIn'), 401, { body: { api_key: 'orca_000000000000_not-a-key' } }, 'an unknown key in the body');
      const ended = await newSession();
      expect((await send(byId('signOut'), { as: 'none', headers: ended.write })).statusCode).toBe(204);
      await expectProblem(byId('getSession'), 401, { as: 'none', headers: ended.read }, 'a signed-out session');
      await expectProblem(byId('signOut'), 401, { as: 'none', headers: ended.write }, 'a signed-out session');
    });

    it('answers 403 to every role the permission matrix refuses, and to a blocked address on every operation', async () => {
      for (const operation of operations) {
        if (keyed(operation)) {
          // viewer_or_requester lets every key role through the edge (the route narrows ingest keys): none is refused.
          const refused = ROLES.find((role) => !PERMISSIONS[operation.role].includes(role));
          if (refused) await expectProblem(operation, 403, { as: refused }, `a ${refused} key`);
        }
        await expectProblem(operation, 403, { from: BLOCKED_ADDRESS, as: 'none' }, 'a blocked address');
      }
      // The sign-in refuses an ingest key in the body; a write made with a session needs that session's CSRF token.
      await expectProblem(byId('signIn'), 403, { body: { api_key: t.keys.ingest } }, 'an ingest key in the body');
      const session = await newSession('admin');
      await expectProblem(byId('signOut'), 403, { as: 'none', headers: session.read }, 'no CSRF token');
      await expectProblem(byId('signOut'), 403, { as: 'none', headers: { ...session.write, 'x-csrf-token': 'not-the-token' } }, 'another CSRF token');
      expect((await send(byId('getSession'), { as: 'none', headers: session.read })).statusCode, 'the refused sign-outs ended nothing').toBe(200);
    });

    it('answers 429 to every operation but the public ones once an address has spent its limit', async () => {
      const first = await send(byId('listAgents'), { as: 'none', from: SPENT_ADDRESS });
      expect(first.statusCode).toBe(401);
      for (const operation of operations) {
        if (operation.role === 'public') {
          expect(declares(operation, 429), operation.operationId).toBe(false);
          expect((await send(operation, { as: 'none', from: SPENT_ADDRESS })).statusCode, operation.operationId).toBeLessThan(300);
          continue;
        }
        const response = await expectProblem(operation, 429, { as: 'none', from: SPENT_ADDRESS }, 'the limit is spent');
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(response.headers['ratelimit-policy']).toBe('"anonymous";q=1;w=900');
      }
    });

    // ---- requests: 400, 404, 413, 415 ---------------------------------------------------------------------------

    it('answers 400 to a malformed id, query or body wherever it declares 400, and only there', async () => {
      for (const operation of operations) {
        const valid = await example(operation);
        if (!declares(operation, 400)) {
          // Nothing to validate: an unknown query parameter is ignored.
          expect((await send(operation, { ...valid, query: { ...valid.query, unknown_parameter: '1' } })).statusCode, operation.operationId).toBeLessThan(300);
          continue;
        }
        if (hasPathId(operation)) {
          const params = Object.fromEntries(operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => [parameter.name, 'not-a-uuid']));
          await expectProblem(operation, 400, { ...valid, params }, 'a malformed id');
        }
        if (operation.parameters.some((parameter) => parameter.in === 'query')) {
          await expectProblem(operation, 400, { ...valid, query: { ...valid.query, unknown_parameter: '1' } }, 'an unknown query parameter');
        }
        if (carriesBody(operation) && operation.requestBody?.content['*/*'] === undefined) {
          await expectProblem(operation, 400, { ...valid, body: undefined, raw: '{"unterminated":', contentType: 'application/json' }, 'malformed JSON');
        }
      }
    });

    it('answers 404 to an unknown id wherever the path names one, and where a route declares another 404', async () => {
      // 404s not tied to a path id, each declared by its route and provoked below.
      const ownNotFound = ['getSyncContracts', 'getSession', 'signOut'];
      for (const operation of operations) {
        if (!hasPathId(operation)) {
          expect(declares(operation, 404) ? operation.operationId : null, 'a 404 without a path id is declared by the route').toBe(
            ownNotFound.includes(operation.operationId) ? operation.operationId : null,
          );
          continue;
        }
        const valid = await example(operation);
        const params = Object.fromEntries(operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => [parameter.name, randomUUID()]));
        await expectProblem(operation, 404, { ...valid, params }, 'an unknown id');
      }
      await expectProblem(byId('getSyncContracts'), 404, { query: { version: '2147483647' } }, 'a version never written');
      // The session routes name the session of the request's cookie: a request authenticated by a key header (which
      // always wins over a cookie) has none, by design, even with a valid cookie beside it.
      for (const operationId of ['getSession', 'signOut']) {
        await expectProblem(byId(operationId), 404, { as: 'viewer' }, 'a key header, not a session');
        await expectProblem(byId(operationId), 404, { as: 'viewer', headers: (await newSession()).write }, 'a key header beside a cookie');
      }
    });

    it('answers 413 to an oversized body and 415 to another media type wherever a body can be sent', async () => {
      const oversized = Buffer.alloc(OVERSIZED, 'x');
      for (const operation of operations) {
        const valid = await example(operation);
        if (!carriesBody(operation)) {
          expect([declares(operation, 413), declares(operation, 415)], operation.operationId).toEqual([false, false]);
          // GET and HEAD bodies are never read.
          const ignored = await send(operation, { ...valid, raw: 'ignored', contentType: 'text/plain' });
          expect(ignored.statusCode, operation.operationId).toBeLessThan(300);
          continue;
        }
        await expectProblem(operation, 413, { ...valid, body: undefined, raw: oversized, contentType: 'application/json' }, 'an oversized body');
        if (operation.requestBody?.content['*/*'] !== undefined) {
          // Read raw whatever its type: the media type is the sender's business (a webhook), never a 415.
          expect(declares(operation, 415), operation.operationId).toBe(false);
          const response = await send(operation, { ...valid, raw: 'plain text', contentType: 'text/plain' });
          expect(response.statusCode, operation.operationId).not.toBe(415);
          continue;
        }
        await expectProblem(operation, 415, { ...valid, body: undefined, raw: 'plain text', contentType: 'text/plain' }, 'text/plain');
      }
    });

    // ---- errors particular to a route: 409, 422 -----------------------------------------------------------------

    it('answers the 409s and 422s routes declare', async () => {
      const externalId = `ext-${randomUUID()}`;
      await call('createAgent', { body: { name: 'first', kind: 'workflow', source: 'n8n', external_id: externalId } });
      await expectProblem(byId('createAgent'), 409, { body: { name: 'second', kind: 'workflow', source: 'n8n', external_id: externalId } }, 'a taken external_id');
      const retired = await transitioned(['retire']);
      await expectProblem(byId('updateAgent'), 409, { params: { id: retired }, body: { owner: 'x' } }, 'a retired agent');
      await expectProblem(byId('deleteAgent'), 409, { params: { id: retired } }, 'retired already');
      for (const action of ['suspend', 'resume', 'quarantine', 'approve', 'retire']) {
        await expectProblem(byId(`${action}Agent`), 409, { params: { id: retired }, body: { reason: 'again' } }, 'a retired agent');
      }
      await expectProblem(byId('mergeAgent'), 409, { params: { id: retired }, body: { into: await newAgent(), reason: 'again' } }, 'a retired agent');
      const survivor = await newAgent();
      const mergedInto = await call('mergeAgent', { params: { id: await newAgent() }, body: { into: survivor, reason: 'contract test' } });
      const mergedIdentity = (mergedInto.identities as Array<{ id: string }>)[0]!.id;
      await expectProblem(byId('unmergeAgent'), 409, { params: { id: await newAgent() }, body: { identity: mergedIdentity, reason: 'again' } }, "another agent's identity");
      const key = await newKey();
      await call('revokeKey', { params: { id: key } });
      await expectProblem(byId('revokeKey'), 409, { params: { id: key } }, 'revoked already');
      const name = `contract-${randomUUID()}`;
      await call('createSource', { body: { kind: 'generic', name } });
      await expectProblem(byId('createSource'), 409, { body: { kind: 'generic', name } }, 'a taken name');
      await expectProblem(byId('updateSource'), 409, { params: { id: (await newSource()).id }, body: { name } }, 'a taken name');
      const receiverName = `contract-${randomUUID()}`;
      await call('createReceiver', { body: { name: receiverName, kind: 'webhook', url: CLOSED_LOCAL_URL } });
      await expectProblem(byId('createReceiver'), 409, { body: { name: receiverName, kind: 'slack', url: CLOSED_LOCAL_URL } }, 'a taken name');
      await expectProblem(byId('updateReceiver'), 409, { params: { id: await newReceiver() }, body: { name: receiverName } }, 'a taken name');
      await expectProblem(byId('retryDelivery'), 409, { params: { id: await newDelivery('pending') } }, 'not failed');
      const incident = await newIncident();
      await call('resolveIncident', { params: { id: incident }, body: {} });
      await expectProblem(byId('resolveIncident'), 409, { params: { id: incident }, body: {} }, 'resolved already');
      const resolvedGap = await gap();
      await call('resolveGap', { params: { id: resolvedGap }, body: { reason: 'once' } });
      await expectProblem(byId('resolveGap'), 409, { params: { id: resolvedGap }, body: { reason: 'twice' } }, 'resolved already');
      const silenceId = (await call('createSilence', { body: silence() })).id as string;
      await call('expireSilence', { params: { id: silenceId } });
      await expectProblem(byId('expireSilence'), 409, { params: { id: silenceId } }, 'expired already');
      const usedToken = await previewToken();
      await call('activateKillSwitch', { body: { preview_token: usedToken, reason: 'once' } });
      await expectProblem(byId('activateKillSwitch'), 409, { body: { preview_token: usedToken, reason: 'twice' } }, 'a used preview');
      const activation = await newActivation();
      await call('releaseKillSwitch', { params: { id: activation }, body: { reason: 'once' } });
      await expectProblem(byId('releaseKillSwitch'), 409, { params: { id: activation }, body: { reason: 'twice' } }, 'released already');
      const approval = await newApproval();
      await call('approveApproval', { params: { id: approval }, body: { reason: 'once' } });
      await expectProblem(byId('approveApproval'), 409, { params: { id: approval }, body: { reason: 'twice' } }, 'decided already');
      await expectProblem(byId('denyApproval'), 409, { params: { id: approval }, body: { reason: 'twice' } }, 'decided already');
      // A verified Slack request that is no interaction at all.
      await expectProblem(byId('receiveSlackInteraction'), 400, slackSigned('hello=world'), 'not an interaction');

      const discoveryName = `contract-${randomUUID()}`;
      await newDiscoverySource({ name: discoveryName });
      await expectProblem(byId('createDiscoverySource'), 409, { body: { kind: 'airflow', name: discoveryName, config: { url: CLOSED_LOCAL_URL } } }, 'a taken name');
      await expectProblem(byId('updateDiscoverySource'), 409, { params: { id: await newDiscoverySource() }, body: { name: discoveryName } }, 'a taken name');
      await expectProblem(byId('createDiscoveryRun'), 409, { body: { source_id: await newDiscoverySource({ enabled: false }) } }, 'a disabled source');
      await expectProblem(byId('createReportSchedule'), 422, { body: { name: 'contract', cron: '@daily', report_kind: 'executive', receiver_ids: [randomUUID()] } }, 'an unknown receiver');
      await expectProblem(byId('createIncident'), 422, { body: { kind: 'data_leak', severity: 'low', agent_id: randomUUID() } }, 'an unknown agent');
      await expectProblem(byId('replaceSyncContracts'), 422, { body: contracts(randomUUID()) }, 'an unknown owner');
      await expectProblem(byId('activateKillSwitch'), 422, { body: { preview_token: 'orca_ksp_unknown', reason: 'contract test' } }, 'an unknown preview token');
      const event = { source_id: randomUUID(), event_type: 'x', entity_type: 'order', entity_id: 'O-1', occurred_at: new Date().toISOString() };
      await expectProblem(byId('ingestEvents'), 422, { body: { events: [event] } }, 'an unknown source');
      await expectProblem(byId('createDiscoveryRun'), 422, { body: { source_id: randomUUID() } }, 'an unknown discovery source');
      const run = { agent_id: randomUUID(), started_at: new Date().toISOString(), duration_ms: 1, outcome: 'error' };
      await expectProblem(byId('ingestRuns'), 422, { body: { runs: [run] } }, 'an unknown agent');
      const source = await newSource();
      const url = `/api/v1/ingest/${source.id}`;
      const unmappable = signDelivery('generic', '{"unrelated":true}', { secret: source.secret, now: new Date(), url });
      await expectProblem(byId('ingestWebhook'), 422, { params: { sourceId: source.id }, raw: unmappable.body, headers: unmappable.headers }, 'a delivery that maps to no event');
    });

    // ---- last: the database goes away ---------------------------------------------------------------------------

    it('answers 503 to every keyed or signed operation when the database is gone; the probes say so as declared', async () => {
      // A key never used: its lookup cannot be served from the key cache, so the edge itself meets the database.
      const fresh = await t.container.modules.keys.service.create({ id: 'contract-test', correlationId: null }, { name: 'unused', role: 'admin' });
      const freshForSignIn = await t.container.modules.keys.service.create({ id: 'contract-test', correlationId: null }, { name: 'unused-sign-in', role: 'viewer' });
      // The cookie-only routes are called with a live session's cookie: sessions are read from the database on every
      // request, never cached. The sign-in gets a well-formed body (an empty one would be a 400) with a key never used.
      const session = await newSession();
      await t.container.db.close();
      for (const operation of operations) {
        const request: Call = ['getSession', 'signOut'].includes(operation.operationId)
          ? { as: 'none', headers: session.write }
          : operation.operationId === 'signIn'
            ? { body: { api_key: freshForSignIn.secret } }
            : keyed(operation)
              ? { as: 'none', headers: { 'x-api-key': fresh.secret } }
              : operation.role === 'signed'
                ? { raw: '{}', contentType: 'application/json' }
                : {};
        if (operation.role === 'public') {
          const response = await send(operation, request);
          const expected = ['getReadyz', 'getReadiness', 'getHealth'].includes(operation.operationId) ? 503 : 200;
          expect({ operation: operation.operationId, status: response.statusCode }).toEqual({ operation: operation.operationId, status: expected });
          continue;
        }
        // Slack's signature is verified without the database; a click by a mapped user then reads that user's key.
        const slack = operation.operationId === 'receiveSlackInteraction' ? slackClick(randomUUID()) : {};
        const response = await expectProblem(operation, 503, { ...request, ...slack }, 'no database');
        expect(response.headers['retry-after'], operation.operationId).toBeDefined();
      }
    });

    it('saw every status each operation declares but 500, which only a bug can cause', () => {
      const unreached: string[] = [];
      for (const operation of operations) {
        for (const status of Object.keys(operation.responses)) {
          if (status === '500' || seen.get(operation.operationId)?.has(Number(status))) continue;
          unreached.push(`${operation.operationId} ${status}`);
        }
      }
      expect(unreached.sort()).toEqual([]);
    });
  });
}
