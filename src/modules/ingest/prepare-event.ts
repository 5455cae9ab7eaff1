import { hash as sha } from 'node:crypto';
import { newId } from '../../platform/ids.js';
import { canonicalEventContent, canonicalJson, type CanonicalEventContent } from './canonical-json.js';
import type { EventContent, EventIdentity, PreparedEvent } from './event.types.js';

/** sha256 of the RFC 8785 canonical JSON: the same document hashes the same whatever its key order or spacing. */
export function payloadHash(value: unknown): string {
  // One-shot hash: no Hash object per event (a batch hashes up to 10,000).
  return sha('sha256', canonicalJson(value) ?? 'null', 'hex');
}

/** payloadHash of a `/events` item's content, written without building and key-sorting an object per event. */
export function eventContentHash(content: CanonicalEventContent): string {
  return sha('sha256', canonicalEventContent(content), 'hex');
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
    idempotency_key: identity.idempotency_key,
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
