import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../helpers/app.js';
import { signDelivery } from '../../fixtures/ingest/sign.js';
import { createSource, deliver, eventsOf } from './helpers.js';

/** docs/errors.md: bad input is a 4xx problem, never a 5xx — values PostgreSQL refuses included — and nothing is stored. */

const problemJson = 'application/problem+json; charset=utf-8';

describeEachDatabase('ingest hostile input', (ctx) => {
  it('answers 4xx to canonical events carrying values PostgreSQL refuses, storing none of the batch', async () => {
    const t = ctx();
    const { id } = await createSource(t, 'generic');
    const valid = { source_id: id, event_type: 'order.created', entity_type: 'order', entity_id: 'A', occurred_at: '2026-11-27T09:00:00Z' };
    const bodies: Array<[string, string]> = [
      ['NUL in a payload string', JSON.stringify({ events: [valid, { ...valid, entity_id: 'B', payload: { note: 'a\u0000b' } }] })],
      ['NUL in a text field', JSON.stringify({ events: [valid, { ...valid, entity_id: 'a\u0000b' }] })],
      ['leap second', JSON.stringify({ events: [valid, { ...valid, entity_id: 'C', occurred_at: '2016-12-31T23:59:60Z' }] })],
      ['year 0', JSON.stringify({ events: [valid, { ...valid, entity_id: 'D', occurred_at: '0000-01-01T00:00:00Z' }] })],
      ['lone surrogate', `{"events":[${JSON.stringify(valid)},{"source_id":"${id}","event_type":"x","entity_type":"y","entity_id":"\\ud800","occurred_at":"2026-11-27T09:00:00Z"}]}`],
      ['unsafe sequence', `{"events":[{"source_id":"${id}","event_type":"x","entity_type":"y","entity_id":"E","occurred_at":"2026-11-27T09:00:00Z","sequence":9007199254740993}]}`],
    ];
    for (const [what, payload] of bodies) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { ...t.as('ingest'), 'content-type': 'application/json' },
        payload,
      });
      expect({ what, status: response.statusCode >= 400 && response.statusCode < 500 }, response.body).toEqual({ what, status: true });
      expect(response.headers['content-type']).toBe(problemJson);
    }
    expect(await eventsOf(t, id)).toEqual([]);
  });

  it('answers 4xx to webhooks with hostile bodies and media types, never a 5xx', async () => {
    const t = ctx();
    const { id, secret } = await createSource(t, 'generic');
    const url = `/api/v1/ingest/${id}`;
    const bodies = [
      '',
      'null',
      '[]',
      '"text"',
      '{"type":"order.created","timestamp":"2026-11-27T09:00:00Z","data":{"object":"order","id":"a\\u0000b"}}',
      '{"type":"order.created","timestamp":"2026-11-27T09:00:00Z","data":{"object":"order","id":"X","note":"\\ud800"}}',
      '{"type":"order.created","timestamp":"2026-11-27T09:00:00Z","data":{"object":"order","id":"Y"},"__proto__":{"polluted":true}}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      '<xml/>',
      Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('latin1'),
    ];
    for (const body of bodies) {
      for (const contentType of ['application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined]) {
        const signed = signDelivery('generic', body, { secret, now: new Date(), url });
        const headers: Record<string, string> = { ...signed.headers };
        if (contentType) headers['content-type'] = contentType;
        else delete headers['content-type'];
        const response = await deliver(t, { ...signed, headers });
        expect({ body: body.slice(0, 40), contentType, ok: response.statusCode < 500 }, response.body).toEqual({ body: body.slice(0, 40), contentType, ok: true });
      }
    }
    const polluted = ({} as Record<string, unknown>).polluted;
    expect(polluted).toBeUndefined();
    // The prototype-pollution delivery is stored as data, not merged into anything: once per media type (each was
    // signed with its own webhook-id), since the raw body is taken whatever the Content-Type.
    expect((await eventsOf(t, id)).map((row) => row.entity_id)).toEqual(['Y', 'Y', 'Y', 'Y']);
  });

  it('answers 400 to malformed ids and filters', async () => {
    const t = ctx();
    for (const url of [
      '/api/v1/events?source_id=urn:uuid:00000000-0000-0000-0000-000000000000',
      '/api/v1/events?since=yesterday',
      '/api/v1/events?time_field=created_at',
      '/api/v1/events?limit=0',
      '/api/v1/events?until=0000-01-01T00:00:00Z',
    ]) {
      const response = await t.app.inject({ method: 'GET', url, headers: t.as('viewer') });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
    }
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/not-a-uuid', headers: t.as('ingest'), payload: '{}' });
    expect(response.statusCode).toBe(400);
    const unknown = await t.app.inject({ method: 'POST', url: `/api/v1/runs`, headers: t.as('ingest'), payload: { runs: [{ agent_id: randomUUID(), started_at: '2016-12-31T23:59:60Z', duration_ms: 1, outcome: 'success' }] } });
    expect(unknown.statusCode).toBe(422);
  });
});
