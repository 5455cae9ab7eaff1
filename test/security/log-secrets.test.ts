import { randomBytes, randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.js';
import { createTestApp, describeEachDatabase, type TestApp } from '../helpers/app.js';
import type { DatabaseTarget } from '../helpers/db.js';
import { fixture, signDelivery } from '../fixtures/ingest/sign.js';

/**
 * No secret and no personal data reaches a log line (docs/OPERATIONS.md "Logs"), whatever
 * field a client hides it in. A scenario drives every route family — agents, lifecycle, history, keys, audit,
 * probes, /metrics and every error path (400/401/403/404/409/413/415, and a 500 on a separately built app) —
 * planting API keys (valid, revoked, bogus), new key secrets, passwords, tokens, JWTs, URL credentials, emails,
 * phone numbers and card numbers in headers, bodies, paths, query strings and X-Correlation-ID. Then every
 * captured line is searched for every planted value, in clear and URL-encoded.
 *
 * Positive controls keep the search honest: the logs must hold a line for each request (with its correlation id),
 * and an order number that fails the Luhn check must survive verbatim — so a logger that silently stopped, or a
 * scrubber that blanked everything, would fail this suite rather than pass it.
 */

const MiB = 1024 * 1024;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const digits = (count: number) => Array.from(randomBytes(count), (byte) => String(byte % 10)).join('');

function luhnComplete(body: string): string {
  for (let check = 0; check <= 9; check += 1) {
    const candidate = `${body}${check}`;
    let sum = 0;
    for (let index = 0; index < candidate.length; index += 1) {
      let digit = Number(candidate[candidate.length - 1 - index]);
      if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

const grouped = (value: string, separator: string) => (value.match(/.{1,4}/g) ?? []).join(separator);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Fresh, unique values for one run, so that a hit in the logs can only come from this scenario. */
function plantedValues() {
  const visa = luhnComplete(`4${digits(14)}`);
  const mastercard = luhnComplete(`5${1 + (randomBytes(1)[0]! % 5)}${digits(13)}`);
  const amex = luhnComplete(`37${digits(12)}`);
  const subscriber = digits(7);
  return {
    secrets: {
      password: `hunter2-${hex(6)}`,
      token: `tok_${hex(12)}`,
      urlPassword: `pw${hex(8)}`,
      dbPassword: `dbpw${hex(8)}`,
      queryApiKey: `qk${hex(10)}`,
      queryToken: `qt${hex(10)}`,
      queryPassword: `qp${hex(10)}`,
      bearerOpaque: `opaque${hex(16)}`,
      bogusOrcaKey: `orca_${hex(6)}_${randomBytes(32).toString('base64url')}`,
      bogusKey: `not-a-key-${hex(8)}`,
      jwt: `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: hex(4), email: 'x@y.io' })}.${randomBytes(32).toString('base64url')}`,
      shortJwt: `${base64url({ alg: 'none' })}.${base64url({ s: hex(3) })}.${hex(6)}`,
      cookie: `sid-${hex(12)}`,
      // Webhook credentials under names only the source's configuration knows (a Salesforce `token_param`).
      webhookToken: `sfdc${hex(16)}`,
      wrongWebhookToken: `sfdc${hex(16)}`,
      strayWebhookToken: `sfdc${hex(16)}`,
    },
    pii: {
      email: `jane.doe.${hex(4)}@gmail.com`,
      email2: `ops+${hex(4)}@acme-corp.io`,
      email3: `bob.${hex(4)}@example-mail.de`,
      e164: `+1415${subscriber}`,
      nationalUs: `(415) ${subscriber.slice(0, 3)}-${subscriber.slice(3)}`,
      dashedUs: `415-${subscriber.slice(0, 3)}-${subscriber.slice(3)}`,
      uk: `+44 20 ${digits(4)} ${digits(4)}`,
      visa,
      visaSpaced: grouped(visa, ' '),
      cardDashed: grouped(mastercard, '-'),
      mastercard,
      amex,
    },
    // Must survive: fails the Luhn check, so it is an order number, not a card.
    orderNumber: (() => {
      for (;;) {
        const candidate = `9${digits(15)}`;
        if (luhnComplete(candidate.slice(0, 15)) !== candidate) return candidate;
      }
    })(),
  };
}

type Planted = ReturnType<typeof plantedValues>;

/** Every form in which a planted value could appear in a log line. */
function searchForms(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value), value.replace(/ /g, '+'), JSON.stringify(value).slice(1, -1)]);
  if (value.includes('@')) forms.add(value.split('@')[0]!); // the local part alone identifies the person
  const digitsOnly = value.replace(/\D/g, '');
  if (/^[+(\d][\d ()+-]+$/.test(value) && digitsOnly.length >= 10) forms.add(digitsOnly.slice(-10)); // a phone or card without its format
  return [...forms];
}

function findLeaks(lines: Array<Record<string, unknown>>, values: Record<string, string>): string[] {
  const texts = lines.map((line) => JSON.stringify(line));
  const leaks: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    for (const form of searchForms(value)) {
      const hit = texts.find((text) => text.includes(form));
      if (hit) leaks.push(`${name} (${JSON.stringify(form)}) in ${hit.slice(0, 400)}`);
    }
  }
  return leaks;
}

interface Sent {
  response: LightMyRequestResponse;
  correlationId: string;
}

describeEachDatabase('no secret or PII in any log line', (ctx, target) => {
  const planted: Planted = plantedValues();
  /** Values discovered during the scenario (key secrets returned by POST /keys). */
  const discovered: Record<string, string> = {};
  /** Correlation ids the client chose (well-formed): each must show up in the logs, verbatim. */
  const correlationIds: string[] = [];
  const requestOf = new Map<string, string>();
  let sequence = 0;

  async function send(options: InjectOptions & { expected: number | number[]; correlationId?: string }): Promise<Sent> {
    const { expected, correlationId: supplied, ...inject } = options;
    sequence += 1;
    const correlationId = supplied ?? `log-secrets-${sequence}-${randomUUID()}`;
    if (!supplied) correlationIds.push(correlationId);
    requestOf.set(correlationId, `${String(inject.method)} ${String(inject.url).slice(0, 120)}`);
    const response = await ctx().app.inject({ ...inject, headers: { 'x-correlation-id': correlationId, ...(inject.headers ?? {}) } });
    const allowed = Array.isArray(expected) ? expected : [expected];
    expect(allowed, `${String(inject.method)} ${String(inject.url).slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`).toContain(
      response.statusCode,
    );
    return { response, correlationId };
  }

  const as = (role: 'admin' | 'operator' | 'viewer' | 'ingest', extra: Record<string, string> = {}) => ({ ...ctx().as(role), ...extra });
  const q = (value: string) => encodeURIComponent(value);

  it('drives every route family with secrets and PII planted wherever a client can put them', async () => {
    const { secrets, pii } = planted;

    // Probes, /metrics, the OpenAPI document and the API reference: public, with credentials sent anyway.
    for (const url of ['/livez', '/liveness', '/readyz', '/readiness', '/health', '/metrics', '/openapi.json']) {
      await send({ method: 'GET', url: `${url}?api_key=${secrets.queryApiKey}&q=${q(pii.email)}`, headers: { 'x-api-key': ctx().keys.admin }, expected: [200, 400] });
    }
    await send({ method: 'GET', url: '/docs', headers: { authorization: `Bearer ${secrets.jwt}`, cookie: `session=${secrets.cookie}` }, expected: [200, 302] });
    await send({ method: 'GET', url: '/status', headers: as('viewer', { 'user-agent': `curl (${pii.email2})` }), expected: 200 });

    // Agents: create with secrets and PII in every field a client controls.
    const createBody = {
      name: `agent for ${pii.email} ${pii.e164} ${pii.visaSpaced}`,
      kind: 'llm_agent',
      source: 'mcp',
      external_id: `ext-${pii.email2}`,
      owner: pii.email,
      vendor: `vendor ${pii.nationalUs}`,
      model: 'gpt-x',
      description: `password=${secrets.password} token: ${secrets.token} card ${pii.cardDashed} call ${pii.uk}`,
      prompt: `You are an agent. Authorization: Bearer ${secrets.bearerOpaque}. DB postgres://svc:${secrets.dbPassword}@db.internal:5432/orca. Key ${ctx().keys.admin}. JWT ${secrets.jwt}`,
      config: {
        password: secrets.password,
        token: secrets.token,
        api_key: secrets.queryApiKey,
        database_url: `postgres://svc:${secrets.dbPassword}@db.internal/orca`,
        nested: { deep: { client_secret: secrets.token, card: pii.amex, card_number: Number(pii.visa) } },
      },
      metadata: { contact: pii.email3, phone: pii.dashedUs, pan: pii.mastercard, notes: [`jwt ${secrets.shortJwt}`] },
      tags: [pii.visa, pii.dashedUs, `cc:${pii.cardDashed}`, `tel:${pii.e164.slice(1)}`],
      targets: [pii.email, `crm ${pii.e164}`],
      tools: [{ name: 'lookup', description: `uses token ${secrets.token} for ${pii.email}`, input_schema: { properties: { password: { default: secrets.password } } } }],
    };
    const created = await send({ method: 'POST', url: '/api/v1/agents', headers: as('operator'), payload: createBody, expected: 201 });
    const agent = created.response.json() as { id: string };
    // POST /agents declares no query string, so the stray api_key is ignored — but the URL holding it is logged.
    await send({ method: 'POST', url: `/api/v1/agents?api_key=${secrets.queryApiKey}`, headers: as('operator'), payload: { name: pii.email2, kind: 'workflow' }, expected: 201 });
    const other = await send({ method: 'POST', url: '/api/v1/agents', headers: as('admin'), payload: { name: `second ${pii.uk}`, kind: 'workflow', source: 'n8n', external_id: pii.email3 }, expected: 201 });

    // Reads and list filters: the query string is logged, so it is where PII would leak.
    await send({ method: 'GET', url: `/api/v1/agents/${agent.id}`, headers: as('viewer'), expected: 200 });
    for (const query of [
      `q=${q(pii.email)}`,
      `q=${pii.email}`,
      `owner=${q(pii.email)}&limit=5`,
      `q=${q(pii.e164)}`,
      `q=${pii.e164}`,
      `q=${q(pii.nationalUs)}`,
      `q=${q(pii.dashedUs)}`,
      `q=${q(pii.uk)}`,
      `tag=${pii.visa}`,
      `tag=${q(`cc:${pii.cardDashed}`)}`,
      `q=${q(pii.visaSpaced)}`,
      `q=${pii.visaSpaced.replace(/ /g, '+')}`,
      `q=${q(`postgres://u:${secrets.urlPassword}@db/x`)}`,
      `q=postgres://u:${secrets.urlPassword}@db/x`,
      `q=${q(`password=${secrets.password}`)}`,
      `q=${q(`Bearer ${secrets.bearerOpaque}`)}`,
      `q=${secrets.shortJwt}`,
      `q=${q(pii.amex)}&limit=1`,
    ]) {
      await send({ method: 'GET', url: `/api/v1/agents?${query}`, headers: as('viewer'), expected: 200 });
    }
    // Unknown (secret-named) query parameters: a 400 whose URL is still logged.
    for (const query of [
      `api_key=${secrets.queryApiKey}`,
      `token=${secrets.queryToken}&limit=2`,
      `password=${secrets.queryPassword}`,
      `access_token=${secrets.jwt}`,
      `email=${q(pii.email2)}`,
      `phone=${q(pii.e164)}`,
      `card=${pii.mastercard}`,
    ]) {
      await send({ method: 'GET', url: `/api/v1/agents?${query}`, headers: as('viewer'), expected: 400 });
    }
    // Positive control: an order number (Luhn fails) is not PII and must stay readable in the log.
    await send({ method: 'GET', url: `/api/v1/agents?q=order-${planted.orderNumber}`, headers: as('viewer'), expected: 200 });

    // Update, lifecycle (reasons end up in the history), history, retire with a reason in the query string.
    await send({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: as('operator'),
      payload: { owner: pii.email3, description: `rotate ${secrets.password} for ${pii.visaSpaced}`, metadata: { token: secrets.token } },
      expected: 200,
    });
    for (const action of ['suspend', 'resume', 'quarantine', 'approve']) {
      await send({
        method: 'POST',
        url: `/api/v1/agents/${agent.id}/${action}`,
        headers: as('operator'),
        payload: { reason: `ticket from ${pii.email} (${pii.e164}), card ${pii.visaSpaced}, password=${secrets.password}` },
        expected: 200,
      });
    }
    await send({ method: 'GET', url: `/api/v1/agents/${agent.id}/history?limit=2`, headers: as('viewer'), expected: 200 });
    await send({
      method: 'DELETE',
      url: `/api/v1/agents/${agent.id}?reason=${q(`asked by ${pii.email2} at ${pii.nationalUs}, card ${pii.amex}`)}`,
      headers: as('operator'),
      expected: 200,
    });
    await send({
      method: 'DELETE',
      url: `/api/v1/agents/${(other.response.json() as { id: string }).id}?reason=by+${pii.email}+${pii.visaSpaced.replace(/ /g, '+')}`,
      headers: as('operator'),
      expected: 200,
    });

    // 409s: an illegal transition on a retired agent, a duplicate external id (PII in the conflicting value).
    await send({ method: 'POST', url: `/api/v1/agents/${agent.id}/resume`, headers: as('operator'), payload: { reason: pii.email }, expected: 409 });
    await send({ method: 'POST', url: '/api/v1/agents', headers: as('operator'), payload: { name: 'dup', kind: 'workflow', source: 'n8n', external_id: pii.email3 }, expected: 409 });

    // Keys: create (the secret is in the response only), list, use, revoke, use again, revoke twice.
    const newKeys: Array<{ id: string; secret: string }> = [];
    for (const [index, role] of (['operator', 'admin', 'viewer'] as const).entries()) {
      const response = await send({
        method: 'POST',
        url: '/api/v1/keys',
        headers: as('admin'),
        payload: { name: `key for ${pii.email} #${index}`, role, expires_in: '30d' },
        expected: 201,
      });
      const body = response.response.json() as { key: { id: string }; secret: string };
      newKeys.push({ id: body.key.id, secret: body.secret });
      discovered[`new ${role} key secret`] = body.secret;
    }
    await send({ method: 'GET', url: '/api/v1/keys?limit=5', headers: as('admin'), expected: 200 });
    await send({ method: 'GET', url: '/api/v1/agents?limit=1', headers: { authorization: `Bearer ${newKeys[0]!.secret}` }, expected: 200 });
    await send({ method: 'GET', url: '/api/v1/keys', headers: { 'x-api-key': newKeys[1]!.secret }, expected: 200 });
    await send({ method: 'DELETE', url: `/api/v1/keys/${newKeys[0]!.id}`, headers: as('admin'), expected: 200 });
    await send({ method: 'DELETE', url: `/api/v1/keys/${newKeys[0]!.id}`, headers: as('admin'), expected: 409 });
    await send({ method: 'GET', url: '/api/v1/agents', headers: { authorization: `Bearer ${newKeys[0]!.secret}` }, expected: 401 });
    await send({ method: 'GET', url: '/api/v1/agents', headers: { 'x-api-key': newKeys[0]!.secret }, expected: 401 });
    await send({ method: 'DELETE', url: `/api/v1/keys/${randomUUID()}`, headers: as('admin'), expected: 404 });
    await send({ method: 'POST', url: '/api/v1/keys', headers: as('admin'), payload: { name: pii.email, role: 'root', password: secrets.password }, expected: 400 });

    // Audit: list with filters carrying PII, verify.
    await send({ method: 'GET', url: `/api/v1/audit?actor=${q(pii.email)}&target=${q(`agent:${pii.e164}`)}&limit=3`, headers: as('admin'), expected: 200 });
    await send({ method: 'GET', url: '/api/v1/audit?limit=2', headers: as('admin'), expected: 200 });
    await send({ method: 'GET', url: '/api/v1/audit/verify', headers: as('admin'), expected: 200 });

    // 401: bogus keys, a JWT, a malformed Authorization header, two different keys, Basic credentials.
    for (const headers of [
      { 'x-api-key': secrets.bogusOrcaKey },
      { 'x-api-key': secrets.bogusKey },
      { authorization: `Bearer ${secrets.jwt}` },
      { authorization: `Bearer ${secrets.bogusOrcaKey}` },
      { authorization: `Token ${secrets.token}` },
      { authorization: `Basic ${Buffer.from(`admin:${secrets.password}`).toString('base64')}` },
      { 'x-api-key': ctx().keys.admin, authorization: `Bearer ${ctx().keys.operator}` },
      { 'x-api-key': `${ctx().keys.admin}x`.repeat(5) },
      {},
    ]) {
      await send({ method: 'GET', url: `/api/v1/agents?q=${q(pii.email)}`, headers, expected: 401 });
    }
    // 403: a role that may not call the route, with PII in the path and query.
    await send({ method: 'POST', url: `/api/v1/agents?owner=${q(pii.email)}`, headers: as('viewer'), payload: { name: pii.email, kind: 'workflow' }, expected: 403 });
    await send({ method: 'GET', url: `/api/v1/audit?actor=${q(pii.email2)}`, headers: as('operator'), expected: 403 });
    await send({ method: 'GET', url: `/api/v1/keys?token=${secrets.queryToken}`, headers: as('ingest'), expected: 403 });
    await send({ method: 'GET', url: '/api/v1/agents', headers: as('ingest'), expected: 403 });

    // 400: validation failures echo nothing to the log but the URL; PII and secrets in path parameters too.
    await send({ method: 'POST', url: '/api/v1/agents', headers: as('operator'), payload: { name: 5, kind: 'llm_agent', password: secrets.password }, expected: 400 });
    await send({ method: 'POST', url: '/api/v1/agents', headers: as('operator'), payload: { name: pii.email, kind: pii.e164 }, expected: 400 });
    await send({
      method: 'POST',
      url: '/api/v1/agents',
      headers: as('operator', { 'content-type': 'application/json' }),
      payload: `{"name": "${pii.email}", "kind": "llm_agent", "password": "${secrets.password}"`,
      expected: 400,
    });
    await send({
      method: 'POST',
      url: '/api/v1/agents',
      headers: as('operator', { 'content-type': 'application/json' }),
      payload: `{"__proto__": {"token": "${secrets.token}"}, "name": "${pii.email}"}`,
      expected: 400,
    });
    for (const id of [pii.email, pii.visa, q(pii.e164), q(pii.nationalUs), secrets.shortJwt, `urn:uuid:${randomUUID()}`]) {
      await send({ method: 'GET', url: `/api/v1/agents/${id}?api_key=${secrets.queryApiKey}`, headers: as('viewer'), expected: 400 });
    }
    await send({ method: 'GET', url: `/api/v1/agents?cursor=${q(pii.email)}`, headers: as('viewer'), expected: 400 });

    // 404: unknown agent, unknown routes with PII in the path.
    await send({ method: 'GET', url: `/api/v1/agents/${randomUUID()}?q=${q(pii.email)}`, headers: as('viewer'), expected: 404 });
    await send({ method: 'GET', url: `/users/${pii.email}/cards/${pii.visa}?api_key=${secrets.queryApiKey}`, expected: 404 });
    await send({ method: 'GET', url: `/users/${q(pii.email2)}/phone/${q(pii.e164)}`, expected: 404 });
    await send({ method: 'GET', url: `/login?password=${secrets.queryPassword}&user=${q(pii.email)}`, expected: 404 });

    // 413 and 415, with the secrets in the body and the URL.
    await send({
      method: 'POST',
      url: `/api/v1/agents?password=${secrets.queryPassword}`,
      headers: as('operator', { 'content-type': 'application/json' }),
      payload: JSON.stringify({ name: pii.email, kind: 'llm_agent', prompt: `${secrets.password} `.repeat(MiB / 10) }),
      expected: 413,
    });
    await send({
      method: 'POST',
      url: `/api/v1/agents?q=${q(pii.email)}`,
      headers: as('operator', { 'content-type': 'text/plain' }),
      payload: `password=${secrets.password}&email=${pii.email}`,
      expected: 415,
    });
    await send({
      method: 'POST',
      url: '/api/v1/keys',
      headers: as('admin', { 'content-type': 'application/x-www-form-urlencoded' }),
      payload: `name=${q(pii.email)}&role=admin&token=${secrets.token}`,
      expected: 415,
    });

    // Malformed URL (refused before routing) carrying PII.
    await send({ method: 'GET', url: `/api/v1/agents/%E0%A4%A?q=${q(pii.email)}`, headers: as('viewer'), expected: [400, 404] });

    // X-Correlation-ID attempts: well-formed ones are echoed and logged, so they must be scrubbed like any value.
    for (const attempt of [pii.email, pii.e164, pii.visa, ctx().keys.admin, secrets.shortJwt, `password=${secrets.password}`, `token:${secrets.token}`]) {
      const sent = await send({ method: 'GET', url: '/api/v1/agents?limit=1', headers: as('viewer'), correlationId: attempt, expected: 200 });
      expect(sent.response.headers['x-correlation-id']).toBe(attempt);
    }
    for (const attempt of [`Bearer ${secrets.bearerOpaque}`, `${pii.email} ${pii.e164}`, `${secrets.jwt}`]) {
      await send({ method: 'GET', url: '/livez', correlationId: attempt, expected: 200 });
    }
    // Header values of every other kind are never logged.
    await send({
      method: 'GET',
      url: '/api/v1/agents?limit=1',
      headers: as('viewer', {
        cookie: `session=${secrets.cookie}; email=${pii.email}`,
        'x-forwarded-for': pii.e164,
        referer: `https://u:${secrets.urlPassword}@evil.example/?card=${pii.visa}`,
        'x-debug-token': secrets.token,
        'proxy-authorization': `Basic ${secrets.bearerOpaque}`,
        'user-agent': `${pii.email3} ${pii.visaSpaced}`,
      }),
      expected: 200,
    });
  });

  it('delivers Salesforce messages whose secret rides in the query parameter the source names, and logs no value of it', async () => {
    const { secrets } = planted;
    const created = await send({
      method: 'POST',
      url: '/api/v1/sources',
      headers: as('admin'),
      payload: {
        kind: 'salesforce',
        name: `salesforce with token_param t ${sequence}`,
        secret: secrets.webhookToken,
        signing: { options: { token_param: 't', allowed_organization_ids: ['00D5e000000KQ2eEAG'] } },
      },
      expected: 201,
    });
    const sourceId = (created.response.json() as { id: string }).id;
    const deliver = (token: string, path = `/api/v1/ingest/${sourceId}`) => {
      const delivery = signDelivery('salesforce', fixture('salesforce', 'opportunity-won.xml'), {
        secret: token,
        now: new Date(),
        url: path,
        salesforceTokenParam: 't',
      });
      return { method: 'POST' as const, url: delivery.url, headers: delivery.headers, payload: delivery.body };
    };
    const accepted = deliver(secrets.webhookToken);
    expect(accepted.url).toBe(`/api/v1/ingest/${sourceId}?t=${secrets.webhookToken}`);
    const delivered = await send({ ...accepted, expected: 200 });
    await send({ ...deliver(secrets.wrongWebhookToken), expected: 401 });
    // A sender configured with a wrong path still sends its key: no route claims the URL, none of its values is logged.
    await send({ ...deliver(secrets.strayWebhookToken, `/api/v1/ingest/${sourceId}/outbound`), expected: 404 });

    const lines = ctx().logs.filter((line) => line.correlation_id === delivered.correlationId && line.msg === 'request completed');
    expect(lines.map((line) => line.url)).toEqual([`/api/v1/ingest/${sourceId}?t=[REDACTED]`]);
    const tokens = { webhookToken: secrets.webhookToken, wrongWebhookToken: secrets.wrongWebhookToken, strayWebhookToken: secrets.strayWebhookToken };
    expect(findLeaks(ctx().logs, tokens)).toEqual([]);
  });

  it('refuses a source that would carry its key in a header ORCA logs or reads as an API key', async () => {
    for (const header of ['X-Correlation-ID', 'x-api-key', 'authorization']) {
      const refused = await send({
        method: 'POST',
        url: '/api/v1/sources',
        headers: as('admin'),
        payload: { kind: 'dynamics365', name: `dataverse via ${header} ${sequence}`, secret: planted.secrets.webhookToken, signing: { options: { key_header: header } } },
        expected: 400,
      });
      expect(refused.response.json()).toMatchObject({
        errors: [{ path: '/body/signing/options/key_header', message: `${header} is read by ORCA itself; choose another header name` }],
      });
    }
    const signatureHeader = await send({
      method: 'POST',
      url: '/api/v1/sources',
      headers: as('admin'),
      payload: { kind: 'servicenow', name: `servicenow via correlation id ${sequence}`, signing: { options: { signature_header: 'x-correlation-id' } } },
      expected: 400,
    });
    expect(signatureHeader.response.json()).toMatchObject({ errors: [{ path: '/body/signing/options/signature_header' }] });
  });

  // A request Fastify refuses before routing (a malformed URL) is logged as such instead of "request completed".
  const isRequestLine = (line: Record<string, unknown>) => line.msg === 'request completed' || line.msg === 'request refused before routing';

  it('has logged every request, each with the correlation id the client chose', () => {
    const logs = ctx().logs;
    expect(logs.length).toBeGreaterThan(correlationIds.length);
    const completed = new Set(logs.filter(isRequestLine).map((line) => line.correlation_id));
    const missing = correlationIds.filter((id) => !completed.has(id)).map((id) => `${id}: ${requestOf.get(id)}`);
    expect(missing).toEqual([]);
  });

  it('logged the requests whose X-Correlation-ID held PII or a secret, with the id redacted', () => {
    const ids = ctx()
      .logs.filter(isRequestLine)
      .map((line) => String(line.correlation_id));
    for (const label of ['[EMAIL]', '[PHONE]', '[CARD]', '[REDACTED]']) expect(ids.some((id) => id.includes(label)), label).toBe(true);
  });

  it('kept what is not PII: an order number that fails the Luhn check is still readable', () => {
    expect(JSON.stringify(ctx().logs)).toContain(`order-${planted.orderNumber}`);
  });

  it('wrote no planted secret or PII in any log line, in clear or encoded', () => {
    const values: Record<string, string> = {
      ...Object.fromEntries(Object.entries(planted.secrets)),
      ...Object.fromEntries(Object.entries(planted.pii)),
      ...discovered,
      ...Object.fromEntries(Object.entries(ctx().keys).map(([role, secret]) => [`${role} key secret`, secret])),
    };
    expect(Object.keys(discovered)).toHaveLength(3);
    expect(findLeaks(ctx().logs, values)).toEqual([]);
  });

  describe('a 500 whose error carries secrets', () => {
    let failing: Awaited<ReturnType<typeof buildFailingApp>> | undefined;
    const secret = {
      dbPassword: `pg${hex(10)}`,
      redisPassword: `rd${hex(10)}`,
      apiKey: `orca_${hex(6)}_${randomBytes(32).toString('base64url')}`,
      bearer: `brr${hex(12)}`,
      password: `pw-${hex(8)}`,
      email: `carol.${hex(4)}@corp-mail.com`,
      phone: `+4930${digits(8)}`,
      card: luhnComplete(`4${digits(14)}`),
    };

    beforeAll(async () => {
      failing = await buildFailingApp(target, secret);
    });
    afterAll(async () => {
      await failing?.close();
    });

    it('answers a generic 500, logs the error with its correlation id, and scrubs every secret from it', async () => {
      const app = failing!.app;
      const ids: string[] = [];
      for (const url of ['/test/boom', '/test/boom-with-cause', '/test/boom-app-error', '/test/boom-object']) {
        const correlationId = `boom-${randomUUID()}`;
        ids.push(correlationId);
        const response = await app.inject({ method: 'GET', url: `${url}?token=${secret.bearer}&q=${q(secret.email)}`, headers: { 'x-correlation-id': correlationId } });
        expect(response.statusCode, response.body).toBe(500);
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        for (const value of Object.values(secret)) expect(response.body).not.toContain(value);
      }
      const logs = failing!.logs;
      for (const id of ids) {
        const lines = logs.filter((line) => line.correlation_id === id);
        expect(lines.some((line) => line.level === 'error' && line.err !== undefined), id).toBe(true);
        expect(lines.some((line) => line.msg === 'request completed' && line.status_code === 500), id).toBe(true);
      }
      // The errors were logged with their (scrubbed) message: the cause is still there for an operator.
      const boom = logs.find((line) => line.correlation_id === ids[0] && line.err !== undefined);
      // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the test plants it and checks it is redacted
      expect(String((boom?.err as { message?: unknown }).message)).toContain('could not reach postgres://orca:[REDACTED]@db.internal:5432/orca');
      expect(findLeaks(logs, secret)).toEqual([]);
    });
  });
});

/**
 * The real app plus routes, registered before `ready()`, that fail with secrets in the error: the only way to
 * produce a 500, since no real route may fail on client input.
 */
function buildFailingApp(target: DatabaseTarget, secret: Record<string, string>): Promise<TestApp> {
  return createTestApp(target, {}, {
    routes: (app) => {
    const message =
      `could not reach postgres://orca:${secret.dbPassword}@db.internal:5432/orca (cache redis://:${secret.redisPassword}@cache:6379) ` +
      `with key ${secret.apiKey}, Authorization: Bearer ${secret.bearer}, password=${secret.password}; ` +
      `customer ${secret.email} ${secret.phone} card ${secret.card}`;
    app.get('/test/boom', { config: { access: 'public' } }, async () => {
      throw Object.assign(new Error(message), { password: secret.password, config: { token: secret.bearer, dsn: `postgres://u:${secret.dbPassword}@h/db` } });
    });
    app.get('/test/boom-with-cause', { config: { access: 'public' } }, async () => {
      throw new Error(`wrapper for ${secret.email}`, { cause: new Error(message) });
    });
    app.get('/test/boom-app-error', { config: { access: 'public' } }, async () => {
      throw new AppError('internal', message);
    });
    app.get('/test/boom-object', { config: { access: 'public' } }, async () => {
      // A thrown non-Error (a library rejecting with a plain object) must not slip past the serialiser either.
      throw { message, detail: { email: secret.email, card: Number(secret.card) } };
    });
    },
  });
}
