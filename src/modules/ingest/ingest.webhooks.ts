/** Native webhooks: verified over the raw bytes, parsed and mapped by the source's adapter, stored, acknowledged. */
import type { Clock } from '../../platform/clock.js';
import type { IngestObserver } from './ingest.observer.js';
import { AppError, notFound } from '../../platform/errors.js';
import { assertStorableJson } from '../../platform/json/storable.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { ADAPTERS, DEFAULT_MAPPINGS, EnvelopeError, MappingError, applyMapping, type CanonicalFields, type RawDelivery } from './adapters/index.js';
import type { IngestMetrics } from './ingest.metrics.js';
import type { IngestResult } from './ingest.schemas.js';
import type { EventWriter } from './ingest.writer.js';
import { payloadHash, prepareEvent } from './prepare-event.js';
import type { SourceLookup } from './source-lookup.js';

/** What a webhook is answered with: ORCA's JSON, or the adapter's own acknowledgement (Salesforce's SOAP Ack). */
export type WebhookReply =
  | { kind: 'json'; status: 200 | 201; body: IngestResult }
  | { kind: 'native'; status: number; contentType: string; body: string };

export interface WebhookReceiverDeps {
  sources: SourceLookup;
  writer: Pick<EventWriter, 'store' | 'count'>;
  metrics: IngestMetrics;
  logger: Logger;
  clock: Clock;
  observer?: Pick<IngestObserver, 'signatureRejected'>;
}

export function secretsAt(source: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null }, now: Date): string[] {
  return source.previousSecret !== null && source.previousSecretExpiresAt !== null && now.getTime() < source.previousSecretExpiresAt.getTime()
    ? [source.secret, source.previousSecret]
    : [source.secret];
}

export function createWebhookReceiver(deps: WebhookReceiverDeps) {
  const { writer, metrics, logger, clock } = deps;

  async function requireSource(sourceId: string) {
    const source = await deps.sources.forIngest(sourceId);
    // A disabled source is indistinguishable from an unknown one for senders: nothing about it leaks.
    if (!source || !source.enabled) throw notFound(`source ${sourceId}`);
    return source;
  }

  function mappingFailure(kind: string, index: number | undefined, error: MappingError): AppError {
    metrics.events.inc({ source_kind: kind, outcome: 'rejected' });
    const where = index === undefined ? '' : ` (event ${index})`;
    return new AppError('unprocessable', `the delivery does not map to canonical events${where}: ${error.message}`, {
      errors: [{ path: error.path, message: error.message }],
    });
  }

  return {
    /**
     * A native webhook: verify over the raw bytes, parse the envelope, map each native event to canonical fields,
     * then store through the group committer and answer only after the commit. `onVerified` runs once the signature
     * has verified, before anything is stored; it may refuse the delivery (a rate limit).
     */
    async receiveWebhook(sourceId: string, delivery: RawDelivery, onVerified?: (sourceId: string) => Promise<void>): Promise<WebhookReply> {
      const source = await requireSource(sourceId);
      const adapter = ADAPTERS[source.kind];
      const now = clock.now();
      const verification = adapter.verify(
        delivery,
        { secrets: secretsAt(source, now), toleranceSeconds: source.toleranceSeconds, options: source.options },
        now,
      );
      if (!verification.ok) {
        metrics.signatureFailures.inc({ source_kind: source.kind, reason: verification.reason });
        // Which source and why, never the signature, the secret or the body.
        logger.warn({ source_id: source.id, source_kind: source.kind, reason: verification.reason }, 'webhook signature rejected');
        await deps.observer?.signatureRejected?.({ source_id: source.id, source_kind: source.kind, reason: verification.reason });
        throw new AppError('unauthorized', `the delivery's signature did not verify (${verification.reason})`);
      }
      await onVerified?.(source.id);
      let natives;
      try {
        natives = adapter.parse(delivery, source.options);
      } catch (error) {
        if (error instanceof EnvelopeError) {
          metrics.events.inc({ source_kind: source.kind, outcome: 'rejected' });
          throw new AppError('bad_request', `not a valid ${source.kind} delivery: ${error.message}`, {
            ...(error.path ? { errors: [{ path: error.path, message: error.message }] } : {}),
          });
        }
        throw error;
      }
      // The limits of every JSON document ORCA stores, whatever format the delivery came in.
      try {
        for (const native of natives) assertStorableJson(native.document, { subject: 'the event' });
      } catch (error) {
        metrics.events.inc({ source_kind: source.kind, outcome: 'rejected' });
        throw error;
      }
      const mapping = { ...DEFAULT_MAPPINGS[source.kind], ...source.mapping };
      const events = natives.map((native, index) => {
        let fields: CanonicalFields;
        try {
          fields = applyMapping(native, mapping);
        } catch (error) {
          if (error instanceof MappingError) throw mappingFailure(source.kind, natives.length > 1 ? index : undefined, error);
          throw error;
        }
        return prepareEvent(
          source,
          { external_event_id: native.externalEventId, idempotency_key: native.idempotencyKey, payload_hash: payloadHash(native.document) },
          {
            event_type: fields.event_type,
            entity_type: fields.entity_type,
            entity_id: fields.entity_id,
            sequence: fields.sequence,
            agent_id: fields.agent_id,
            correlation_id: fields.correlation_key,
            payload: native.document,
          },
          new Date(fields.occurred_at),
          now,
        );
      });
      const outcomes = events.length === 0 ? [] : await writer.store(events);
      writer.count(() => source.kind, outcomes);
      const accepted = outcomes.filter((outcome) => outcome.kind === 'accepted').length;
      const duplicates = outcomes.length - accepted;
      const native = adapter.acknowledge({ accepted, duplicates });
      if (native) return { kind: 'native', ...native };
      return {
        kind: 'json',
        status: accepted > 0 ? 201 : 200,
        body: {
          accepted,
          duplicates,
          duplicate: accepted === 0 && duplicates > 0,
          conflict: outcomes.some((outcome) => outcome.kind === 'conflict'),
          events: outcomes.map((outcome) => ({ id: outcome.id, duplicate: outcome.kind !== 'accepted', conflict: outcome.kind === 'conflict' })),
        },
      };
    },
  };
}
