import { canonicalJson, canonicalNumber, canonicalString } from '../../platform/json/canonical.js';
import type { CanonicalFields } from './adapters/types.js';

/**
 * The canonical fields of a `/events` item whose hash is its payload hash (prepare-event.ts): an adapter's fields,
 * with the correlation under the name a `/events` item gives it, and the payload.
 */
export type CanonicalEventContent = Omit<CanonicalFields, 'correlation_key'> & { correlation_id: string | null; payload: unknown };

const nullable = (value: string | null) => (value === null ? 'null' : canonicalString(value));

/**
 * `canonicalJson(content)`, text for text, written field by field in RFC 8785's key order, which is fixed here: no
 * object to build, no keys to sort for each of a batch's thousands of events. The literals are written by the
 * platform's canonical JSON, so its rules (and refusals: a lone surrogate, a non-finite sequence) are the same.
 */
export function canonicalEventContent(content: CanonicalEventContent): string {
  // An absent payload is a member canonical JSON leaves out; rare enough to take the general path.
  if (content.payload === undefined) return canonicalJson(content);
  return (
    `{"agent_id":${nullable(content.agent_id)},"correlation_id":${nullable(content.correlation_id)},"entity_id":${canonicalString(content.entity_id)}` +
    `,"entity_type":${canonicalString(content.entity_type)},"event_type":${canonicalString(content.event_type)},"occurred_at":${canonicalString(content.occurred_at)}` +
    `,"payload":${canonicalJson(content.payload)},"sequence":${content.sequence === null ? 'null' : canonicalNumber(content.sequence)}}`
  );
}
