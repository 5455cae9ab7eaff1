/**
 * The body of a resync request (docs/self-healing.md "The resync webhook"): the gap, the entity, and what is
 * missing or disagrees, so the owner automation can send the data again. Pure: built from the stored gap.
 */
import type { GapRecord } from './remediation.repository.js';

export interface ResyncRequestBody {
  type: 'orca.resync_request';
  version: 1;
  /** Also the `webhook-id` header: the same for every retry of one attempt, new for the next attempt. */
  id: string;
  remediation_id: string;
  attempt: number;
  max_attempts: number;
  owner_agent_id: string | null;
  gap: {
    id: string;
    type: string;
    severity: string;
    contract: string | null;
    rule: string;
    stream: string | null;
    detected_at: string;
    due_at: string | null;
  };
  entity: { type: string | null; id: string } | null;
  /** missing_record and stale gaps: the data ORCA expected and did not get. */
  missing?: Record<string, unknown>;
  /** field_drift, out_of_order and duplicate gaps: the data that disagrees, as ORCA saw it. */
  disagreement?: Record<string, unknown>;
  /** Where to follow the remediation (viewer key). */
  status_url: string;
  correlation_id: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function missingOf(gap: GapRecord): Record<string, unknown> | undefined {
  const detail = gap.detail;
  if (gap.type === 'missing_record') {
    return {
      event_type: text(detail.expected_event_type),
      stream: text(detail.expected_stream),
      key: gap.entity_id,
      deadline: text(detail.deadline),
      after_event: { id: text(detail.trigger_event_id), type: text(detail.trigger_event_type) },
    };
  }
  if (gap.type === 'stale') {
    return {
      stream: gap.stream,
      entity_type: gap.entity_type,
      events_since: text(detail.last_event_at) ?? text(detail.stale_since),
      slo_seconds: typeof detail.slo_seconds === 'number' ? detail.slo_seconds : null,
    };
  }
  return undefined;
}

/** The gap's evidence as the analyzer recorded it, minus what says how it closed (it is open when this is sent). */
function disagreementOf(gap: GapRecord): Record<string, unknown> | undefined {
  if (gap.type !== 'field_drift' && gap.type !== 'out_of_order' && gap.type !== 'duplicate') return undefined;
  return { ...gap.detail };
}

export function resyncRequestBody(input: {
  remediationId: string;
  attempt: number;
  maxAttempts: number;
  gap: GapRecord;
  statusUrl: string;
  correlationId: string | null;
}): ResyncRequestBody {
  const { gap } = input;
  const missing = missingOf(gap);
  const disagreement = disagreementOf(gap);
  return {
    type: 'orca.resync_request',
    version: 1,
    id: `${input.remediationId}_${input.attempt}`,
    remediation_id: input.remediationId,
    attempt: input.attempt,
    max_attempts: input.maxAttempts,
    owner_agent_id: gap.agent_id,
    gap: {
      id: gap.id,
      type: gap.type,
      severity: gap.severity,
      contract: gap.contract,
      rule: gap.rule,
      stream: gap.stream,
      detected_at: gap.detected_at.toISOString(),
      due_at: gap.due_at?.toISOString() ?? null,
    },
    entity: gap.entity_id === null ? null : { type: gap.entity_type, id: gap.entity_id },
    ...(missing ? { missing } : {}),
    ...(disagreement ? { disagreement } : {}),
    status_url: input.statusUrl,
    correlation_id: input.correlationId,
  };
}
