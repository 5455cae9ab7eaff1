/**
 * Source adapters (docs/ingestion-formats.md): pure functions from a raw HTTP delivery to verified, parsed native events, and the
 * field-mapping engine that turns a native event into ORCA's canonical fields. No I/O and no clock of their own
 * (`verify` takes `now`). Formats, headers and vendor set-up: docs/ingestion-formats.md.
 */
import { createCloudEventsAdapter } from './cloudevents.js';
import { dynamics365Adapter } from './dynamics365.js';
import { createHmacJsonAdapter, ORACLE_PROFILE, SERVICENOW_PROFILE } from './hmac-json.js';
import { hubspotAdapter } from './hubspot.js';
import { salesforceAdapter } from './salesforce.js';
import { createStandardWebhooksAdapter } from './standard-webhooks.js';
import type { FieldMapping, SourceAdapter, SourceKind } from './types.js';

export * from './types.js';
export { applyMapping, evaluatePath, parsePath } from './mapping.js';

export const ADAPTERS: Record<SourceKind, SourceAdapter> = {
  hubspot: hubspotAdapter,
  salesforce: salesforceAdapter,
  dynamics365: dynamics365Adapter,
  servicenow: createHmacJsonAdapter(SERVICENOW_PROFILE),
  sap: createCloudEventsAdapter('sap'),
  oracle_erp: createHmacJsonAdapter(ORACLE_PROFILE),
  zapier: createStandardWebhooksAdapter('zapier'),
  n8n: createStandardWebhooksAdapter('n8n'),
  make: createStandardWebhooksAdapter('make'),
  generic: createStandardWebhooksAdapter('generic'),
  cloudevents: createCloudEventsAdapter('cloudevents'),
};

/**
 * The Standard Webhooks payload convention ORCA documents for automation platforms:
 * `{"type": "order.created", "timestamp": "…", "data": {"object": "order", "id": "…", "sequence": 3}, "agent_id": "…"}`.
 */
const STANDARD_WEBHOOKS_MAPPING: FieldMapping = {
  event_type: '$.type',
  entity_type: '$.data.object',
  entity_id: '$.data.id',
  occurred_at: '$.timestamp',
  sequence: '$.data.sequence',
  agent_id: '$.agent_id',
  correlation_key: '$.correlation_key',
};

/**
 * The mapping a source starts with (a source's own mapping replaces it field by field). A field left out here is
 * filled from the envelope's defaults (NativeEvent.defaults), e.g. HubSpot's entity type from `subscriptionType`.
 */
export const DEFAULT_MAPPINGS: Record<SourceKind, FieldMapping> = {
  hubspot: { event_type: '$.subscriptionType', entity_id: '$.objectId', occurred_at: { path: '$.occurredAt', format: 'epoch_ms' } },
  salesforce: { entity_id: '$.sObject.Id', occurred_at: '$.sObject.LastModifiedDate' },
  dynamics365: { entity_type: '$.PrimaryEntityName', entity_id: '$.PrimaryEntityId', occurred_at: '$.OperationCreatedOn', correlation_key: '$.CorrelationId' },
  servicenow: { entity_type: '$.sys_class_name', entity_id: '$.sys_id', occurred_at: '$.sys_updated_on', sequence: '$.sys_mod_count' },
  sap: { event_type: '$.type', occurred_at: '$.time', sequence: '$.sequence' },
  oracle_erp: { event_type: '$.eventType', entity_type: '$.businessObject', entity_id: '$.data.HeaderId', occurred_at: '$.eventTime' },
  zapier: STANDARD_WEBHOOKS_MAPPING,
  n8n: STANDARD_WEBHOOKS_MAPPING,
  make: STANDARD_WEBHOOKS_MAPPING,
  generic: STANDARD_WEBHOOKS_MAPPING,
  cloudevents: { event_type: '$.type', entity_id: '$.subject', occurred_at: '$.time', sequence: '$.sequence' },
};
