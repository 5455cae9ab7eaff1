/**
 * The part of OpenSLO v1 (https://github.com/OpenSLO/OpenSLO, apiVersion `openslo/v1`) that `orca slo compile`
 * reads, as JSON schemas: the kinds SLO, SLI, DataSource and Service, with the fields the specification defines.
 * Fields the specification has but the compiler cannot honour (threshold metrics, time slices, calendar windows,
 * alert policies) are accepted by the shape and refused with a reason by openslo.ts, so that the error says why
 * rather than "unknown field". An unknown field is refused: in a hand-written manifest it is a typo.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const strict = <T extends Record<string, TSchema>>(properties: T) => Type.Object(properties, { additionalProperties: false });

/** RFC 1123 label, as the specification requires every implementation to accept for object names. */
export const OBJECT_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
const Name = Type.String({ pattern: OBJECT_NAME_PATTERN, description: 'lowercase letters, digits and -, at most 63' });
const Description = Type.String({ maxLength: 1050 });
const LabelValue = Type.Union([Type.String({ maxLength: 1000 }), Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 })]);

export const MetadataSchema = strict({
  name: Name,
  displayName: Type.Optional(Type.String({ maxLength: 1000 })),
  labels: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$' }), LabelValue)),
  annotations: Type.Optional(Type.Record(Type.String({ maxLength: 317 }), Type.String({ maxLength: 2000 }))),
});

export const MetricSourceSchema = strict({
  metricSourceRef: Type.Optional(Name),
  type: Type.Optional(Type.String({ maxLength: 100 })),
  // Arbitrary per data source in the specification; for Prometheus the one field is the query.
  spec: strict({ query: Type.String({ minLength: 1, maxLength: 20_000 }) }),
});

const MetricSpec = strict({ metricSource: MetricSourceSchema });

export const RatioMetricSchema = strict({
  counter: Type.Optional(Type.Boolean()),
  good: Type.Optional(MetricSpec),
  bad: Type.Optional(MetricSpec),
  total: Type.Optional(MetricSpec),
  rawType: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure')])),
  raw: Type.Optional(MetricSpec),
});

export const SliSpecSchema = strict({
  description: Type.Optional(Description),
  ratioMetric: Type.Optional(RatioMetricSchema),
  thresholdMetric: Type.Optional(MetricSpec),
});

/** An SLI inline in an SLO: metadata and spec, without apiVersion and kind. */
export const InlineSliSchema = strict({ metadata: MetadataSchema, spec: SliSpecSchema });

export const ObjectiveSchema = strict({
  displayName: Type.Optional(Type.String({ maxLength: 1000 })),
  op: Type.Optional(Type.String()),
  value: Type.Optional(Type.Number()),
  target: Type.Optional(Type.Number()),
  targetPercent: Type.Optional(Type.Number()),
  timeSliceTarget: Type.Optional(Type.Number()),
  timeSliceWindow: Type.Optional(Type.Union([Type.Number(), Type.String()])),
  indicator: Type.Optional(InlineSliSchema),
  indicatorRef: Type.Optional(Type.String()),
  compositeWeight: Type.Optional(Type.Number()),
});

export const TimeWindowSchema = strict({
  duration: Type.String({ pattern: '^[1-9][0-9]*[mhdwMQY]$', description: 'duration shorthand: 30d, 4w …' }),
  isRolling: Type.Optional(Type.Boolean()),
  calendar: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const SloSpecSchema = strict({
  description: Type.Optional(Description),
  service: Type.String({ pattern: '^[A-Za-z0-9][-A-Za-z0-9_.]*$', maxLength: 63 }),
  indicator: Type.Optional(InlineSliSchema),
  indicatorRef: Type.Optional(Type.String()),
  timeWindow: Type.Optional(Type.Array(TimeWindowSchema)),
  budgetingMethod: Type.Union([Type.Literal('Occurrences'), Type.Literal('Timeslices'), Type.Literal('RatioTimeslices')]),
  objectives: Type.Array(ObjectiveSchema, { minItems: 1, maxItems: 20 }),
  alertPolicies: Type.Optional(Type.Array(Type.Unknown())),
});

export const DataSourceSpecSchema = strict({
  description: Type.Optional(Description),
  type: Type.String({ minLength: 1, maxLength: 100 }),
  connectionDetails: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const ServiceSpecSchema = strict({ description: Type.Optional(Description) });

const documentOf = <K extends string, S extends TSchema>(kind: K, spec: S) =>
  strict({ apiVersion: Type.Literal('openslo/v1'), kind: Type.Literal(kind), metadata: MetadataSchema, spec });

export const SLO_DOCUMENT_SCHEMAS = {
  SLO: documentOf('SLO', SloSpecSchema),
  SLI: documentOf('SLI', SliSpecSchema),
  DataSource: documentOf('DataSource', DataSourceSpecSchema),
  Service: documentOf('Service', ServiceSpecSchema),
};

export type SloDocumentKind = keyof typeof SLO_DOCUMENT_SCHEMAS;
export const SLO_DOCUMENT_KINDS = Object.keys(SLO_DOCUMENT_SCHEMAS) as SloDocumentKind[];

export type SloDocument = Static<(typeof SLO_DOCUMENT_SCHEMAS)['SLO']>;
export type SliDocument = Static<(typeof SLO_DOCUMENT_SCHEMAS)['SLI']>;
export type DataSourceDocument = Static<(typeof SLO_DOCUMENT_SCHEMAS)['DataSource']>;
export type ServiceDocument = Static<(typeof SLO_DOCUMENT_SCHEMAS)['Service']>;
export type InlineSli = Static<typeof InlineSliSchema>;
export type Metadata = Static<typeof MetadataSchema>;
export type MetricSource = Static<typeof MetricSourceSchema>;
