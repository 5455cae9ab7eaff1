import { hash as sha } from 'node:crypto';
import { newId } from '../../platform/ids.js';
import { canonicalJson } from '../../platform/json/canonical.js';
import { canonicalEventContent, type CanonicalEventContent } from './canonical-json.js';
import type { EventContent, EventIdentity, PreparedEvent } from './event.types.js';

/** sha256 of the RFC 8785 canonical JSON: the same document hashes the same whatever its key order or spacing. */
export function payloadHash(value: unknown): string {
  // One-shot hash: no Hash object per event (a batch hashes up to 10,000).
  return sha('sha256', canonicalJson(value ?? null), 'hex');
}

/** payloadHash of a `/events` item's content, written without building and key-sorting an object per event. */
export function eventContentHash(content: CanonicalEventContent): string {
  return sha('sha256', canonicalEventContent(content), 'hex');
}

/**
 * Keys longer than this are stored as `key-sha256:<hex>` of their text. Senders choose their delivery ids (a
 * Standard Webhooks webhook-id, a Salesforce Notification Id) and some are thousands of characters: stored as sent,
 * the (source_id, idempotency_key) index row would exceed PostgreSQL's btree limit (~2.7 kB) and the delivery would
 * fail, and be retried, forever. 500 characters of 4-byte UTF-8 stay under that limit; `/events` refuses longer keys
 * outright (its callers choose them), so only native webhooks meet the hashed form.
 */
export const MAX_STORED_KEY_LENGTH = 500;

export function storedIdempotencyKey(key: string): string {
  return key.length <= MAX_STORED_KEY_LENGTH ? key : `key-sha256:${sha('sha256', key, 'hex')}`;
}

/**
 * The one way an event is prepared for storage, from a webhook delivery or a `/events` item alike: a new id, the
 * source, and the caller's identity and content copied field by field (the caller's objects may carry more).
 */
export function prepareEvent(
  source: { id: string; kind: string },
  identity: EventIdentity,
  content: EventContent,
  occurredAt: Date,
  receivedAt: Date,
): PreparedEvent {
  return {
    id: newId(),
    source_id: source.id,
    source_kind: source.kind,
    external_event_id: identity.external_event_id,
    idempotency_key: storedIdempotencyKey(identity.idempotency_key),
    payload_hash: identity.payload_hash,
    event_type: content.event_type,
    entity_type: content.entity_type,
    entity_id: content.entity_id,
    occurred_at: occurredAt,
    received_at: receivedAt,
    sequence: content.sequence,
    agent_id: content.agent_id,
    correlation_id: content.correlation_id,
    payload: content.payload,
  };
}
