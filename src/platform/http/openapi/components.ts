import type { JsonSchema, OpenApiDocument, OpenApiMediaType } from './document.js';

/** Keywords whose value is one schema, or an array of schemas. Everything else in a schema is data or a name. */
const SCHEMA_KEYWORDS = ['items', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'contains', 'propertyNames', 'not', 'if', 'then', 'else'];
const SCHEMA_ARRAY_KEYWORDS = ['prefixItems', 'allOf', 'anyOf', 'oneOf'];
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];

const COMPONENT_NAME = /^[A-Z][A-Za-z0-9]*$/;

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Publishes every schema that carries a `title` as `components.schemas[title]` and puts a `$ref` in each place it
 * was used (request and response bodies, shared responses, other components). Route schemas stay inline at run time
 * (no shared-schema resolution in the validators or serializers), and a schema gets its name where it is declared:
 * `Type.Object({...}, { title: 'Agent' })`. Two different schemas under one title are a mistake and throw, as does a
 * title that is not a PascalCase name. Parameters keep their schemas inline (OpenAPI flattens them into fields).
 * Mutates the document it is given.
 */
export function hoistTitledSchemas(document: OpenApiDocument): void {
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  const published = new Map<string, string>();

  const register = (title: string, schema: JsonSchema): JsonSchema => {
    if (!COMPONENT_NAME.test(title)) throw new Error(`schema title "${title}" is not a PascalCase component name`);
    const text = JSON.stringify(schema);
    const existing = published.get(title);
    if (existing !== undefined && existing !== text) throw new Error(`two different schemas are titled "${title}"; give one of them another title`);
    published.set(title, text);
    schemas[title] = schema;
    return { $ref: `#/components/schemas/${title}` };
  };

  /** Post-order, so that a component's own titled parts are references inside it before it is compared. */
  const visit = (schema: JsonSchema, isRoot: boolean): JsonSchema => {
    const result: JsonSchema = { ...schema };
    for (const keyword of SCHEMA_KEYWORDS) {
      const value = result[keyword];
      if (isSchema(value)) result[keyword] = visit(value, false);
      else if (Array.isArray(value)) result[keyword] = (value as unknown[]).map((item) => (isSchema(item) ? visit(item, false) : item));
    }
    for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
      const value = result[keyword];
      if (Array.isArray(value)) result[keyword] = (value as unknown[]).map((item) => (isSchema(item) ? visit(item, false) : item));
    }
    for (const keyword of SCHEMA_MAP_KEYWORDS) {
      const value = result[keyword];
      if (isSchema(value)) result[keyword] = Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, isSchema(inner) ? visit(inner, false) : inner]));
    }
    return !isRoot && typeof result.title === 'string' ? register(result.title, result) : result;
  };

  const visitContent = (content: Record<string, OpenApiMediaType> | undefined): void => {
    for (const media of Object.values(content ?? {})) if (isSchema(media.schema)) media.schema = visit(media.schema, false);
  };

  for (const [name, schema] of Object.entries({ ...schemas })) {
    const visited = visit(schema, true);
    if (visited.title === undefined) schemas[name] = visited;
    else if (visited.title === name) register(name, visited);
    else throw new Error(`component "${name}" is titled "${String(visited.title)}"`);
  }
  for (const response of Object.values(components.responses ?? {})) visitContent(response.content);
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      visitContent(operation.requestBody?.content);
      for (const response of Object.values(operation.responses ?? {})) visitContent(response.content);
    }
  }
  components.schemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}
