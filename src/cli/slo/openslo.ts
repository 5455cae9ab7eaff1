/**
 * Reads an OpenSLO v1 manifest (one YAML file, one or more documents) into the SLOs `orca slo compile` turns into
 * Prometheus rules. Every problem is reported, each with the document and the JSON path of the field, in one error:
 * `deploy/slo/orca.yaml: document 3 (SLO api-latency) /spec/objectives/0/target: must be above 0 and below 1`.
 *
 * Supported, as Sloth supports OpenSLO: ratio metrics of Prometheus counters (`good`/`total` or `bad`/`total`)
 * whose queries hold Sloth's `{{.window}}` placeholder for the range, budgeting by occurrences, a rolling window of
 * 28 or 30 days. Implementation-specific settings are annotations under `orca.dev/` (see SLO_ANNOTATIONS).
 */
import { Ajv, type ErrorObject } from 'ajv';
import { parseAllDocuments } from 'yaml';
import {
  SLO_DOCUMENT_KINDS,
  SLO_DOCUMENT_SCHEMAS,
  type DataSourceDocument,
  type Metadata,
  type SliDocument,
  type SloDocument,
  type SloDocumentKind,
} from './openslo-schema.js';
import { sloDefinitions } from './openslo-slo.js';
import type { SloDefinition } from './slo-definition.js';

export { SLO_ANNOTATIONS, percentText, type SloDefinition } from './slo-definition.js';

export class SloManifestError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`}`);
    this.name = 'SloManifestError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const validators = Object.fromEntries(Object.entries(SLO_DOCUMENT_SCHEMAS).map(([kind, schema]) => [kind, ajv.compile(schema)])) as Record<
  SloDocumentKind,
  ReturnType<typeof ajv.compile>
>;

function pathOf(error: ErrorObject): string {
  const base = error.instancePath === '' ? '' : error.instancePath;
  if (error.keyword === 'required') return `${base}/${(error.params as { missingProperty: string }).missingProperty}`;
  if (error.keyword === 'additionalProperties') return `${base}/${(error.params as { additionalProperty: string }).additionalProperty}`;
  return base === '' ? '/' : base;
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return 'is not a field of this object';
  if (error.keyword === 'const') return `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
  if (error.keyword === 'required') return 'is required';
  return error.message ?? 'is invalid';
}

/** Ajv reports each branch of a failed union; one line per path is enough to find the mistake. */
function schemaProblems(errors: ErrorObject[] | null | undefined): Array<{ path: string; message: string }> {
  const seen = new Map<string, string>();
  for (const error of errors ?? []) {
    const path = pathOf(error);
    if (!seen.has(path)) seen.set(path, messageOf(error));
  }
  return [...seen].map(([path, message]) => ({ path, message }));
}

function position(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  return `line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
}

interface Located<T> {
  document: T;
  label: string;
}

export function parseSloManifest(text: string, source: string): SloDefinition[] {
  const problems: string[] = [];
  const documents = parseAllDocuments(text, { version: '1.2', schema: 'core', merge: false, uniqueKeys: true, strict: true, prettyErrors: false });
  const stream = Array.isArray(documents) ? documents : [];
  if (!Array.isArray(documents)) problems.push('the file is not a YAML document stream');
  const byKind: { [K in SloDocumentKind]: Array<Located<unknown>> } = { SLO: [], SLI: [], DataSource: [], Service: [] };
  stream.forEach((yamlDocument, index) => {
    const number = index + 1;
    const firstError = yamlDocument.errors[0];
    if (firstError) {
      problems.push(`document ${number}: not valid YAML at ${position(text, firstError.pos[0])}: ${firstError.message.split('\n')[0]}`);
      return;
    }
    const value: unknown = yamlDocument.toJS();
    if (value === null || value === undefined) return;
    const header = value as { apiVersion?: unknown; kind?: unknown };
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`document ${number}: must be a mapping (apiVersion, kind, metadata, spec)`);
      return;
    }
    if (header.apiVersion !== 'openslo/v1') {
      problems.push(`document ${number} /apiVersion: must be "openslo/v1" (OpenSLO v1), not ${JSON.stringify(header.apiVersion ?? null)}`);
      return;
    }
    if (!(SLO_DOCUMENT_KINDS as unknown[]).includes(header.kind)) {
      problems.push(`document ${number} /kind: must be one of ${SLO_DOCUMENT_KINDS.join(', ')}, not ${JSON.stringify(header.kind ?? null)}`);
      return;
    }
    const kind = header.kind as SloDocumentKind;
    const name = (value as { metadata?: { name?: unknown } }).metadata?.name;
    const label = `document ${number} (${kind}${typeof name === 'string' ? ` ${name}` : ''})`;
    const validate = validators[kind];
    if (!validate(value)) {
      for (const problem of schemaProblems(validate.errors)) problems.push(`${label} ${problem.path}: ${problem.message}`);
      return;
    }
    byKind[kind].push({ document: value, label });
  });
  if (stream.length === 0 || (problems.length === 0 && byKind.SLO.length === 0)) problems.push('no SLO document (kind: SLO) in the manifest');

  for (const kind of Object.keys(byKind) as SloDocumentKind[]) {
    const seen = new Set<string>();
    for (const { document, label } of byKind[kind]) {
      const name = (document as { metadata: Metadata }).metadata.name;
      if (seen.has(name)) problems.push(`${label} /metadata/name: another ${kind} is already named ${name}`);
      seen.add(name);
    }
  }
  const slis = new Map(byKind.SLI.map(({ document }) => [(document as SliDocument).metadata.name, document as SliDocument]));
  const dataSources = new Map(byKind.DataSource.map(({ document }) => [(document as DataSourceDocument).metadata.name, document as DataSourceDocument]));
  const ids = new Set<string>();
  const definitions: SloDefinition[] = [];
  for (const { document, label } of byKind.SLO as Array<Located<SloDocument>>) {
    const report = (path: string, message: string) => problems.push(`${label} ${path}: ${message}`);
    definitions.push(...sloDefinitions(document, { slis, dataSources, report }));
  }
  for (const definition of definitions) {
    if (ids.has(definition.id)) problems.push(`SLO ${definition.name}: its id ${definition.id} (service-name) is not unique`);
    ids.add(definition.id);
  }
  if (problems.length > 0) throw new SloManifestError(source, problems);
  return definitions;
}
