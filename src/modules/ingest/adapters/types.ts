import type { TSchema } from '@sinclair/typebox';

/** Every kind of source ORCA can receive events from (docs/ingestion-formats.md). */
export const SOURCE_KINDS = [
  'hubspot',
  'salesforce',
  'dynamics365',
  'servicenow',
  'sap',
  'oracle_erp',
  'zapier',
  'n8n',
  'make',
  'generic',
  'cloudevents',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** One HTTP delivery exactly as it reached ORCA: signatures are verified over these raw bytes. */
export interface RawDelivery {
  method: string;
  /** full request URL as received: path + query */
  url: string;
  /** lower-cased header names, first value only */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface SigningSettings {
  /** current secret first, then the previous one while its rotation overlap lasts */
  secrets: string[];
  toleranceSeconds: number;
  /** per-kind, non-secret options, validated by optionsSchema (e.g. salesforce allowed org ids, hubspot public base URL) */
  options: Record<string, unknown>;
}

export type VerificationFailure =
  | 'missing_signature'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'malformed'
  | 'organization_not_allowed';

export type Verification = { ok: true } | { ok: false; reason: VerificationFailure };

export interface CanonicalFields {
  event_type: string;
  entity_type: string;
  entity_id: string;
  /** ISO 8601 */
  occurred_at: string;
  sequence: number | null;
  agent_id: string | null;
  correlation_key: string | null;
}

export interface NativeEvent {
  externalEventId: string | null;
  idempotencyKey: string;
  /** what field mappings are evaluated against */
  document: unknown;
  /** canonical fields the envelope itself defines, used when the mapping leaves them unset */
  defaults: Partial<CanonicalFields>;
}

/** The request was not a valid envelope of this kind → 400. */
export class EnvelopeError extends Error {
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message);
    this.name = 'EnvelopeError';
    this.path = path;
  }
}

export interface Acknowledgement {
  status: number;
  contentType: string;
  body: string;
}

export interface SourceAdapter {
  kind: SourceKind;
  /** human-readable name of the signature scheme (docs, source listing) */
  scheme: string;
  /** TypeBox schema of SigningSettings.options for this kind */
  optionsSchema: TSchema;
  verify(delivery: RawDelivery, settings: SigningSettings, now: Date): Verification;
  /**
   * Throws EnvelopeError. `options` are the source's SigningSettings.options (some kinds read them, e.g. the
   * Salesforce ActionId → event type table or the ServiceNow idempotency paths); omitting them means the defaults.
   */
  parse(delivery: RawDelivery, options?: Record<string, unknown>): NativeEvent[];
  /** null → ORCA's JSON answer */
  acknowledge(result: { accepted: number; duplicates: number }): Acknowledgement | null;
}

export type MappingFormat = 'iso' | 'epoch_ms' | 'epoch_s';
export type FieldMappingEntry = string | { path: string; format?: MappingFormat };
/** data: JSON paths per canonical field */
export type FieldMapping = Partial<Record<keyof CanonicalFields, FieldMappingEntry>>;

/** A mapping path could not be evaluated or gave a value of the wrong type → 422. */
export class MappingError extends Error {
  readonly path: string;
  constructor(message: string, path: string) {
    super(message);
    this.name = 'MappingError';
    this.path = path;
  }
}
