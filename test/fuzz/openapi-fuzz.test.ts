import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/platform/http/roles.js';
import { describeEachDatabase } from '../helpers/app.js';
import { dereference } from '../helpers/openapi.js';
import type { DatabaseTargetName } from '../helpers/db.js';

/**
 * Property-based fuzzing of every operation the app publishes in /openapi.json (nothing is hand-listed: a route
 * added tomorrow is fuzzed tomorrow). For each operation fast-check generates hostile requests — wrong types for
 * every field, missing and unknown fields, 100 KB strings, 50,000-element arrays, nesting past the 32-level limit,
 * lone surrogates, NUL and control characters, SQL injection, path traversal, invalid and `urn:` UUIDs, malformed
 * and oversized JSON, odd media types, malformed credentials and X-Correlation-IDs — mixed with valid-looking
 * requests built from the operation's own schemas, sent with an admin key and sometimes with no key or the wrong
 * role. Properties (docs/errors.md: bad input never yields a 5xx):
 *
 * - no answer is a 5xx;
 * - every 4xx is `application/problem+json` with the RFC 9457 members, `status` equal to the HTTP status and the
 *   correlation id of the X-Correlation-ID header;
 * - the process stays alive (no uncaught exception or unhandled rejection; /livez answers afterwards);
 * - no partial write: afterwards the database is consistent (each agent has exactly one `register` event, no event
 *   without its agent, one lifecycle event per successful transition), the audit chain verifies and holds exactly one
 *   entry per successful write, and the number of agents and keys equals the 201s observed — so every rejected
 *   request wrote nothing.
 *
 * Budget: at least 5,000 generated requests on PGlite and 1,500 on PostgreSQL (a smaller leg that bounds CI time;
 * the PGlite leg is the exhaustive one). Fixed seed, from ORCA_FUZZ_SEED when set; fast-check prints the seed and
 * the counterexample path on failure (`verbose`), so `ORCA_FUZZ_SEED=<seed> npx vitest run test/fuzz` replays it.
 */

const DEFAULT_SEED = 424_242;
const parsedSeed = Number.parseInt(process.env.ORCA_FUZZ_SEED ?? '', 10);
const SEED = Number.isSafeInteger(parsedSeed) ? parsedSeed : DEFAULT_SEED;
const BUDGET: Record<DatabaseTargetName, number> = { pglite: 5_200, postgres: 3_000 };
const MINIMUM_CASES: Record<DatabaseTargetName, number> = { pglite: 5_000, postgres: 1_500 };
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// The OpenAPI document, as far as the fuzzer needs it.

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  method: string;
  path: string;
  role: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body: JsonSchema | undefined;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { 'x-orca-role'?: string; parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => {
      const operation = item[method]!;
      const parameters = operation.parameters ?? [];
      return {
        method: method.toUpperCase(),
        path,
        role: operation['x-orca-role'] ?? 'public',
        pathParams: parameters.filter((parameter) => parameter.in === 'path'),
        queryParams: parameters.filter((parameter) => parameter.in === 'query'),
        body: operation.requestBody?.content?.['application/json']?.schema,
      };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Compact stand-ins for large values: generated (and printed in a counterexample) as a few fields, expanded only
// when the request is sent, so a failure report shows `huge("é" × 90000)` rather than 90,000 characters.

class Huge {
  constructor(
    readonly unit: string,
    readonly count: number,
  ) {}
  text(): string {
    return this.unit.repeat(this.count);
  }
  [fc.toStringMethod](): string {
    return `huge(${JSON.stringify(this.unit)} × ${this.count})`;
  }
}

class Deep {
  constructor(
    readonly depth: number,
    readonly kind: 'array' | 'object',
  ) {}
  json(): string {
    return this.kind === 'array' ? `${'['.repeat(this.depth)}1${']'.repeat(this.depth)}` : `${'{"a":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`;
  }
  [fc.toStringMethod](): string {
    return `deep(${this.kind} × ${this.depth})`;
  }
}

class HugeArray {
  constructor(
    readonly item: unknown,
    readonly count: number,
  ) {}
  [fc.toStringMethod](): string {
    return `hugeArray(${JSON.stringify(this.item)} × ${this.count})`;
  }
}

/** A reference to an existing row (an agent or a key), resolved when the request is sent. */
class PoolRef {
  constructor(
    readonly pool: 'agent' | 'key',
    readonly index: number,
  ) {}
  [fc.toStringMethod](): string {
    return `pool(${this.pool}#${this.index})`;
  }
}

/** JSON text of a generated value. Keys go through JSON.stringify, so an own `__proto__` key is sent as such. */
function toJsonText(value: unknown): string {
  if (value instanceof Huge) return JSON.stringify(value.text());
  if (value instanceof Deep) return value.json();
  if (value instanceof HugeArray) return `[${new Array<string>(value.count).fill(toJsonText(value.item)).join(',')}]`;
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : toJsonText(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, inner]) => inner !== undefined);
    return `{${members.map(([key, inner]) => `${JSON.stringify(key)}:${toJsonText(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function toText(value: unknown): string {
  if (value instanceof Huge) return value.text();
  if (typeof value === 'string') return value;
  return toJsonText(value);
}

/**
 * Percent-encodes like encodeURIComponent, but never throws: a lone surrogate (which encodeURIComponent refuses)
 * is sent as its WTF-8 bytes (%ED%A0%80), exactly what a hostile client can put on the wire.
 */
function encodeComponent(text: string): string {
  let output = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (/^[A-Za-z0-9\-_.~]$/.test(char)) output += char;
    else if (code >= 0xd800 && code <= 0xdfff) output += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else for (const byte of Buffer.from(char, 'utf8')) output += `%${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return output;
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values.

const SQL_INJECTION = [
  "' or 1=1 --",
  "'; drop table agent; --",
  "'; drop table audit_entry; --",
  '" or ""="',
  "1' union select hash, prefix from api_key --",
  "'||(select hash from api_key limit 1)||'",
  "1; select pg_sleep(5) --",
  "%' or '1'='1",
  "\\'; truncate agent_event; --",
  '$1',
  "E'\\x00'",
];
const PATH_TRAVERSAL = ['../../etc/passwd', '..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2f..%2fetc%2fpasswd', '....//....//etc/passwd', '/etc/passwd%00.json', '%252e%252e%252f', '..;/', 'file:///etc/passwd', '%c0%ae%c0%ae/'];
const ODD_TEXT = [
  '\uD800',
  '\uDFFF',
  'a\uD83D',
  '\uDE00b',
  '\u0000',
  'nul\u0000byte',
  '\u0001\u0002\u001f\u007f',
  '\u2028\u2029',
  '\uFEFF',
  '\u202Eevil',
  'e\u0301',
  '😀👩‍👩‍👧',
  '𝕏',
  '\uFFFF\uFFFE',
  '\r\n\t',
  ' ',
  '',
  '\\',
  '"',
  "'",
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '%s%n%x',
  '%',
  '%zz',
  '%00',
  '%ED%A0%80',
  'NaN',
  'null',
  'true',
  '-0',
  '1e309',
  '0x1F',
  '[]',
  '{}',
];

const hugeText = fc
  .record({ unit: fc.constantFrom('a', 'é', '😀', '\u0000', '\uD800', "'", '%', '{', ' ', '9', '\\'), count: fc.integer({ min: 1_000, max: 100_000 }) })
  .map(({ unit, count }) => new Huge(unit, count));

const hostileText: fc.Arbitrary<string | Huge> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SQL_INJECTION) },
  { weight: 2, arbitrary: fc.constantFrom(...PATH_TRAVERSAL) },
  { weight: 4, arbitrary: fc.constantFrom(...ODD_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: hugeText },
);

const deepValue = fc.record({ depth: fc.integer({ min: 20, max: 40 }), kind: fc.constantFrom('array' as const, 'object' as const) }).map(({ depth, kind }) => new Deep(depth, kind));
const hugeArray = fc
  .record({ item: fc.constantFrom(0, 'x', null, {}, [], true, -1.5e300), count: fc.integer({ min: 1_000, max: 50_000 }) })
  .map(({ item, count }) => new HugeArray(item, count));

/** Any JSON value of any type, hostile ones included: what "wrong type" means for a field of any type. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1.5, -1, 2 ** 53 + 1, 1e308, -1e-308, Number.MAX_SAFE_INTEGER) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: hugeArray },
);

const LEAP_SECONDS = ['2016-12-31T23:59:60Z', '2030-06-30T23:59:60Z', '2099-12-31T23:59:60.999Z'];

// ---------------------------------------------------------------------------------------------------------------
// Valid-looking values from a schema: they pass validation, so they reach the services and the database.

/**
 * `clean` values are what a well-behaved client sends (printable text, ordinary keys), so most of them get through
 * to the database and drive real state changes; `hostile` ones stay within the schema but carry SQL, traversal,
 * control characters, lone surrogates and 100 KB strings into the services and the database.
 */
type Mode = 'clean' | 'hostile';

function validString(schema: JsonSchema, mode: Mode): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  const fits = (text: string) => text.length >= min && text.length <= max;
  if (schema.format === 'uuid' || schema.pattern?.includes('{8}-')) return fc.uuid();
  if (schema.format === 'date-time') {
    return fc.oneof(
      { weight: mode === 'clean' ? 30 : 8, arbitrary: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2300-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()) },
      { weight: mode === 'clean' ? 1 : 3, arbitrary: fc.constantFrom(...LEAP_SECONDS, '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999Z', '2030-01-01T00:00:00+23:59', '2030-01-01t00:00:00z') },
    );
  }
  if (schema.pattern) {
    // A pattern with a minimum length (a secret: 16+ printable characters) needs long matches, or the filter would
    // reject nearly every candidate and generation would never end.
    return fc.stringMatching(new RegExp(schema.pattern), { size: min > 4 ? 'large' : 'small' }).filter(fits);
  }
  if (mode === 'clean') return fc.string({ minLength: Math.max(min, 1), maxLength: Math.min(max, 40), unit: 'grapheme-ascii' }).filter(fits);
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 40), unit: 'grapheme' }) },
    { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 40), unit: 'binary' }) },
    { weight: 2, arbitrary: fc.constantFrom(...SQL_INJECTION, ...PATH_TRAVERSAL, ...ODD_TEXT).filter(fits) },
    { weight: 1, arbitrary: fc.integer({ min: Math.max(min, 1), max: Math.min(max, 100_000) }).map((length) => 'x'.repeat(length)) },
  );
}

const freeKey = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom('password', 'token', 'api_key', '__proto__', 'constructor', 'prototype', '', '\u0000', '\uD800', '$where', "'; drop table agent; --") },
);

function freeObject(depth: number, mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const key = mode === 'clean' ? fc.stringMatching(/^[a-z_][a-z0-9_]{0,11}$/).filter((name) => name !== 'constructor' && name !== '__proto__') : freeKey;
  const stringUnit = mode === 'clean' ? ('grapheme-ascii' as const) : ('binary' as const);
  const leaf = fc.jsonValue({ maxDepth: depth > 2 ? 1 : 2, stringUnit });
  return fc.dictionary(key, depth > 2 ? leaf : fc.oneof(leaf, freeObject(depth + 1, mode)), { maxKeys: 4 });
}

function validValue(schema: JsonSchema, mode: Mode, depth = 0): fc.Arbitrary<unknown> {
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((member) => validValue(member, mode, depth)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      if (properties.length === 0) return freeObject(depth, mode);
      const required = schema.required ?? [];
      const model = Object.fromEntries(properties.map(([key, inner]) => [key, validValue(inner, mode, depth + 1)]));
      if (mode === 'hostile') return fc.record(model, { requiredKeys: required });
      // A clean client sends only some optional fields: rules across fields that no schema states (a tool gives
      // input_schema or input_schema_hash, not both) would otherwise refuse most clean bodies.
      const optional = properties.map(([key]) => key).filter((key) => !required.includes(key));
      return fc.tuple(fc.record(model), fc.shuffledSubarray(optional, { maxLength: Math.ceil(optional.length / 2) })).map(([all, chosen]) =>
        Object.fromEntries(Object.entries(all).filter(([key]) => required.includes(key) || chosen.includes(key))),
      );
    }
    case 'array': {
      const items = validValue(schema.items ?? {}, mode, depth + 1);
      const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) };
      return schema.uniqueItems ? fc.uniqueArray(items, { ...constraints, selector: (item) => toJsonText(item) }) : fc.array(items, constraints);
    }
    case 'string':
      return validString(schema, mode);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Requests.

type BodySpec =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; contentType: string | undefined }
  | { kind: 'text'; text: string; contentType: string | undefined }
  | { kind: 'bytes'; hex: string; contentType: string | undefined };

type AuthSpec =
  | { kind: 'role'; role: Role; via: 'x-api-key' | 'bearer' }
  | { kind: 'none' }
  | { kind: 'headers'; headers: Record<string, string | Huge> };

interface RequestSpec {
  method: string;
  pathParams: Record<string, { value: PoolRef | string | Huge; raw: boolean }>;
  query: Array<{ name: string; value: string | Huge; raw: boolean }>;
  auth: AuthSpec;
  correlationId: string | Huge | undefined;
  extraHeaders: Record<string, string>;
  body: BodySpec;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const ODD_CONTENT_TYPES = [
  undefined,
  '',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json, text/plain',
  ';;;',
  'application/jsonx',
  '*/*',
  'Application/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json;;;charset=',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'application/json\tx',
  `application/json; ${'x'.repeat(5000)}=1`,
];
const contentTypeArb = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...JSON_TYPES) }, { weight: 2, arbitrary: fc.constantFrom(...ODD_CONTENT_TYPES) });

const MALFORMED_JSON = [
  '{',
  '}',
  '{"name":',
  '{"name":"x",}',
  "{'name':'x'}",
  '{"name":"x" "kind":"workflow"}',
  'NaN',
  'Infinity',
  'undefined',
  '{"a":1e999999}',
  '[1,2,',
  '"unterminated',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":"\\uZZZZ"}',
  '\uFEFF{"name":"x","kind":"workflow"}',
  '{"name":"x","kind":"workflow"}garbage',
  '{"name":"x","kind":"workflow"}{"a":1}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '{"a":{"__proto__":null}}',
  '   ',
  '',
  'null',
  'true',
  '0',
  '-0',
  '""',
  '[]',
  '{"name":"a","name":"b","kind":"workflow"}',
  '{"name":"x\u0000","kind":"workflow"}',
  '{"name":"\\ud800","kind":"workflow"}',
  '{"name":"ok","kind":"workflow","config":{"k":"\\udc00"}}',
  '{"name":"ok","kind":"workflow","prompt":"\\ud83d"}',
  '{"name":"ok","role":"viewer","expires_at":"2016-12-31T23:59:60Z"}',
  '{"reason":"\\u0000"}',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `${'{"a":'.repeat(33)}1${'}'.repeat(33)}`,
];

function bodyArb(operation: Operation): fc.Arbitrary<BodySpec> {
  const schema = operation.body;
  const garbage = fc.oneof(
    fc.constantFrom(...MALFORMED_JSON).map((text): BodySpec => ({ kind: 'text', text, contentType: 'application/json' })),
    fc.record({ text: fc.string({ unit: 'binary', maxLength: 60 }), contentType: contentTypeArb }).map(({ text, contentType }): BodySpec => ({ kind: 'text', text, contentType })),
    fc
      .record({ bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }), contentType: fc.constantFrom('application/json', 'application/octet-stream') })
      .map(({ bytes, contentType }): BodySpec => ({ kind: 'bytes', hex: Buffer.from(bytes).toString('hex'), contentType })),
  );
  if (!schema) {
    return fc.oneof(
      { weight: 14, arbitrary: fc.constant<BodySpec>({ kind: 'none' }) },
      { weight: 1, arbitrary: garbage },
      { weight: 1, arbitrary: fc.record({ value: anyValue, contentType: contentTypeArb }).map(({ value, contentType }): BodySpec => ({ kind: 'json', value, contentType })) },
    );
  }
  const clean = validValue(schema, 'clean') as fc.Arbitrary<Record<string, unknown>>;
  const valid = validValue(schema, 'hostile') as fc.Arbitrary<Record<string, unknown>>;
  const propertyNames = Object.keys(schema.properties ?? {});
  const requiredNames = schema.required ?? [];
  const fieldName = propertyNames.length > 0 ? fc.constantFrom(...propertyNames) : fc.string({ maxLength: 8 });
  const unknownName = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'fingerprint', 'hash', 'created_at', 'secret', 'role'));

  type Mutation =
    | { kind: 'set'; key: string; value: unknown }
    | { kind: 'delete'; key: string }
    | { kind: 'extra'; key: string; value: unknown }
    | { kind: 'nested'; node: number; key: string; value: unknown };
  const mutations: Array<fc.WeightedArbitrary<Mutation>> = [
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fieldName, value: anyValue }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('extra' as const), key: unknownName, value: anyValue }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('nested' as const), node: fc.nat(), key: fc.oneof(unknownName, fc.constantFrom('0', '1', 'name', 'reason', 'password')), value: anyValue }) },
  ];
  if (requiredNames.length > 0) mutations.push({ weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...requiredNames) }) });
  const mutation = fc.oneof(...mutations);
  const applied = fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([body, mutations]) => {
    // The valid body holds plain JSON only, so a JSON round trip is a faithful deep copy (own __proto__ keys kept).
    let result = JSON.parse(toJsonText(body)) as Record<string, unknown>;
    for (const change of mutations) result = mutate(result, change);
    return result;
  });
  const jsonBody = (value: fc.Arbitrary<unknown>) =>
    fc.record({ value, contentType: contentTypeArb }).map(({ value: body, contentType }): BodySpec => ({ kind: 'json', value: body, contentType }));
  return fc.oneof(
    { weight: 8, arbitrary: jsonBody(clean) },
    { weight: 4, arbitrary: jsonBody(valid) },
    { weight: 8, arbitrary: jsonBody(applied) },
    { weight: 1, arbitrary: jsonBody(anyValue) },
    { weight: 2, arbitrary: garbage },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.nat())
        .map(([body, cut]): BodySpec => {
          const text = toJsonText(body);
          return { kind: 'text', text: text.slice(0, cut % Math.max(1, text.length)), contentType: 'application/json' };
        }),
    },
    { weight: 1, arbitrary: fc.constant<BodySpec>({ kind: 'none' }) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: MiB + 1, max: MiB + 64 * 1024 }).map((size): BodySpec => ({
        kind: 'json',
        value: { name: 'big', kind: 'workflow', prompt: new Huge('p', size) },
        contentType: 'application/json',
      })),
    },
  );
}

function mutate(body: Record<string, unknown>, change: { kind: string; key: string; value?: unknown; node?: number }): Record<string, unknown> {
  // Object.defineProperty, not assignment: `body.__proto__ = …` would change the prototype instead of adding a key.
  const define = (target: object, key: string, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  if (change.kind === 'delete') {
    const { [change.key]: _removed, ...rest } = body;
    return rest;
  }
  if (change.kind === 'set' || change.kind === 'extra') {
    define(body, change.key, change.value);
    return body;
  }
  const containers: object[] = [];
  const stack: unknown[] = [body];
  while (stack.length > 0 && containers.length < 50) {
    const current = stack.pop();
    if (current !== null && typeof current === 'object' && !(current instanceof Huge || current instanceof Deep || current instanceof HugeArray)) {
      containers.push(current);
      stack.push(...Object.values(current));
    }
  }
  const target = containers[(change.node ?? 0) % containers.length]!;
  if (Array.isArray(target)) target[Number.parseInt(change.key, 10) || 0] = change.value;
  else define(target, change.key, change.value);
  return body;
}

const uuidVariants = fc.uuid().chain((id) =>
  fc.constantFrom(id, id.toUpperCase(), `urn:uuid:${id}`, `{${id}}`, id.replace(/-/g, ''), `${id}\n`, `${id} `, ` ${id}`, `${id}0`, id.slice(1), `${id}'--`, id.replace(/[0-9]/, '٣')),
);

const pathValueArb: fc.Arbitrary<{ value: PoolRef | string | Huge; raw: boolean }> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ pool: fc.constantFrom('agent' as const, 'key' as const), index: fc.nat() }).map(({ pool, index }) => ({ value: new PoolRef(pool, index), raw: false })) },
  { weight: 2, arbitrary: fc.uuid().map((value) => ({ value, raw: false })) },
  { weight: 2, arbitrary: uuidVariants.map((value) => ({ value, raw: false })) },
  { weight: 2, arbitrary: hostileText.map((value) => ({ value, raw: false })) },
  { weight: 1, arbitrary: fc.constantFrom(...PATH_TRAVERSAL, '', '.', '..', '%', '%00', '%ED%A0%80', '%2F', 'a/b', '?x=1', '#frag').map((value) => ({ value, raw: true })) },
  { weight: 1, arbitrary: fc.integer({ min: 150, max: 2_000 }).map((length) => ({ value: 'a'.repeat(length), raw: false })) },
);

function queryValueArb(schema: JsonSchema): fc.Arbitrary<string | Huge> {
  return fc.oneof(
    { weight: 4, arbitrary: validValue(schema, 'clean').map((value) => toText(value)) },
    { weight: 1, arbitrary: validValue(schema, 'hostile').map((value) => toText(value)) },
    { weight: 3, arbitrary: hostileText },
    { weight: 2, arbitrary: fc.constantFrom('-1', '0', '1.5', '1e3', '0x10', 'NaN', 'Infinity', '999999999999999999999', '', ' ', 'true', '[]', '{}', 'null', '201', '200', '1 OR 1=1') },
  );
}

function queryArb(operation: Operation): fc.Arbitrary<RequestSpec['query']> {
  const declared = operation.queryParams.map((parameter) =>
    fc.option(
      fc.record({
        value: queryValueArb(parameter.schema),
        // Raw: inserted into the URL unencoded (`%zz`, `#`, `&`, spaces), as a careless or hostile client would.
        raw: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        repeat: fc.nat({ max: 9 }),
      }),
      { freq: 2 },
    ),
  );
  const extra = fc.array(
    fc.record({ name: fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'api_key', 'a[b]', '[]', 'limit[]', '')), value: hostileText, raw: fc.boolean() }),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...declared), extra).map(([values, extras]) => {
    const query: RequestSpec['query'] = [];
    values.forEach((entry, index) => {
      if (!entry) return;
      const name = operation.queryParams[index]!.name;
      query.push({ name, value: entry.value, raw: entry.raw });
      // Now and then the same parameter twice: it arrives as an array.
      if (entry.repeat === 0) query.push({ name, value: entry.value, raw: entry.raw });
    });
    return [...query, ...extras];
  });
}

function authArb(): fc.Arbitrary<AuthSpec> {
  const malformed = fc.oneof(
    fc.constantFrom<Record<string, string | Huge>>(
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: 'Basic Zm9vOmJhcg==' },
      { authorization: 'Bearer a b' },
      { authorization: 'Token abc' },
      { authorization: 'bearer\u0000x' },
      { 'x-api-key': '' },
      { 'x-api-key': ' ' },
      { 'x-api-key': "' or 1=1 --" },
      { 'x-api-key': 'orca_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    ),
    fc.record({ 'x-api-key': fc.string({ unit: 'binary-ascii', maxLength: 300 }) }).map((headers): Record<string, string | Huge> => headers),
    hugeText.map((huge): Record<string, string | Huge> => ({ 'x-api-key': new Huge(huge.unit, Math.min(huge.count, 8_000)) })),
    fc.integer({ min: 257, max: 8_000 }).map((count): Record<string, string | Huge> => ({ authorization: `Bearer ${'k'.repeat(count)}` })),
  );
  return fc.oneof(
    { weight: 14, arbitrary: fc.constantFrom<AuthSpec>({ kind: 'role', role: 'admin', via: 'x-api-key' }, { kind: 'role', role: 'admin', via: 'bearer' }) },
    { weight: 3, arbitrary: fc.constantFrom(...ROLES).map((role): AuthSpec => ({ kind: 'role', role, via: 'x-api-key' })) },
    { weight: 1, arbitrary: fc.constant<AuthSpec>({ kind: 'none' }) },
    { weight: 2, arbitrary: malformed.map((headers): AuthSpec => ({ kind: 'headers', headers })) },
  );
}

const correlationArb: fc.Arbitrary<string | Huge | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:@/+=-]{1,128}$/) },
  { weight: 1, arbitrary: fc.integer({ min: 129, max: 8_000 }).map((count) => new Huge('c', count)) },
  { weight: 1, arbitrary: fc.constantFrom('a\r\nx-injected: 1', '\u0000', 'é', '😀', "' or 1=1 --", '../../etc/passwd', ' ', '') },
);

const extraHeadersArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Record<string, string>>({}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { accept: 'application/xml' },
      { accept: '*/*;q=0' },
      { 'accept-encoding': 'gzip, br' },
      { 'content-encoding': 'gzip' },
      { 'x-forwarded-for': "1.2.3.4, ' or 1=1 --" },
      { origin: 'https://evil.example' },
      { 'x-http-method-override': 'DELETE' },
      { cookie: 'session=abc; __proto__=x' },
    ),
  },
);

function requestArb(operation: Operation): fc.Arbitrary<RequestSpec> {
  return fc.record({
    method: fc.oneof({ weight: 24, arbitrary: fc.constant(operation.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') }),
    pathParams: fc.record(Object.fromEntries(operation.pathParams.map((parameter) => [parameter.name, pathValueArb]))),
    query: queryArb(operation),
    auth: authArb(),
    correlationId: correlationArb,
    extraHeaders: extraHeadersArb,
    body: bodyArb(operation),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Checking answers.

const PROBLEM_TYPE = /^urn:orca:problem:[a-z_]+$/;

function fail(description: string, response: LightMyRequestResponse, why: string): never {
  throw new Error(`${why}\n  request: ${description}\n  answer: ${response.statusCode} ${String(response.headers['content-type'])} ${response.body.slice(0, 500)}`);
}

/** The properties every answer must have, whatever was asked. */
function checkAnswer(description: string, response: LightMyRequestResponse): void {
  if (response.statusCode >= 500) fail(description, response, 'a 5xx answered a client request');
  if (response.statusCode < 400) return;
  if (!String(response.headers['content-type'] ?? '').startsWith('application/problem+json')) fail(description, response, 'a 4xx that is not application/problem+json');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    fail(description, response, 'a 4xx whose body is not JSON');
  }
  if (typeof body.type !== 'string' || !PROBLEM_TYPE.test(body.type)) fail(description, response, 'problem without a urn:orca:problem type');
  if (typeof body.title !== 'string' || body.title === '') fail(description, response, 'problem without a title');
  if (body.status !== response.statusCode) fail(description, response, 'problem status differs from the HTTP status');
  if (typeof body.detail !== 'string') fail(description, response, 'problem without a detail');
  if (typeof body.instance !== 'string' || !body.instance.startsWith('/')) fail(description, response, 'problem without an instance path');
  const correlationId = response.headers['x-correlation-id'];
  if (typeof correlationId !== 'string' || correlationId === '' || body.correlation_id !== correlationId) {
    fail(description, response, 'problem correlation_id differs from X-Correlation-ID');
  }
  if (body.errors !== undefined) {
    const errors = body.errors as Array<Record<string, unknown>>;
    if (!Array.isArray(errors) || errors.some((error) => typeof error.path !== 'string' || typeof error.message !== 'string')) {
      fail(description, response, 'problem errors[] is not a list of {path, message}');
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface Tally {
  cases: number;
  statuses: Map<number, number>;
  agentsCreated: number;
  keysCreated: number;
  keysRevoked: number;
  /** Successful writes, each of which appends exactly one audit entry. */
  auditedWrites: number;
  /** Successful lifecycle changes (POST …/suspend etc. and DELETE /agents/{id}), each one agent_event. */
  transitions: number;
}

describeEachDatabase('OpenAPI-driven fuzzing', (ctx, target) => {
  const budget = BUDGET[target.name];
  let operations: Operation[] = [];
  const pools: Record<'agent' | 'key', string[]> = { agent: [], key: [] };
  const tally: Tally = { cases: 0, statuses: new Map(), agentsCreated: 0, keysCreated: 0, keysRevoked: 0, auditedWrites: 0, transitions: 0 };
  /** Keys the app was built with (test-<role>): counted, never handed to the fuzzer to revoke. */
  let setupKeys = 0;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  /** Sends one request and keeps the books on what a success must have written. */
  async function send(options: InjectOptions): Promise<LightMyRequestResponse> {
    const response = await ctx().app.inject(options);
    const method = String(options.method).toUpperCase();
    const path = String(options.url).split('?')[0]!;
    const status = response.statusCode;
    tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
    // GET, HEAD and OPTIONS (CORS preflight) write nothing.
    if (status >= 200 && status < 300 && !['GET', 'HEAD', 'OPTIONS'].includes(method)) {
      if (method === 'POST' && path === '/api/v1/agents' && status === 201) {
        tally.agentsCreated += 1;
        tally.auditedWrites += 1;
        pools.agent.push((response.json() as { id: string }).id);
      } else if (method === 'POST' && path === '/api/v1/keys' && status === 201) {
        tally.keysCreated += 1;
        tally.auditedWrites += 1;
        pools.key.push((response.json() as { key: { id: string } }).key.id);
      } else if (method === 'DELETE' && path.startsWith('/api/v1/keys/')) {
        tally.keysRevoked += 1;
        tally.auditedWrites += 1;
      } else if (method === 'PATCH' && path.startsWith('/api/v1/agents/')) {
        tally.auditedWrites += 1;
      } else if ((method === 'POST' || method === 'DELETE') && path.startsWith('/api/v1/agents/')) {
        tally.auditedWrites += 1;
        tally.transitions += 1;
      } else if ((method === 'PUT' && path === '/api/v1/sync/contracts') || (method === 'POST' && /^\/api\/v1\/sync\/gaps\/[^/]+\/resolve$/.test(path))) {
        tally.auditedWrites += 1; // a new contracts version, or a gap resolved by hand
      } else if (method === 'PUT' && path === '/api/v1/policies') {
        tally.auditedWrites += 1; // a new policy version
      } else if ((method === 'POST' && path === '/api/v1/sources') || /^\/api\/v1\/sources\/[^/]+(\/rotate-secret)?$/.test(path)) {
        tally.auditedWrites += 1; // a source created, changed, deleted or its secret rotated
      } else if ((method === 'POST' && path === '/api/v1/incidents') || /^\/api\/v1\/incidents\/[^/]+\/resolve$/.test(path)) {
        tally.auditedWrites += 1; // an incident opened or resolved by hand
      } else if ((method === 'POST' && path === '/api/v1/receivers') || /^\/api\/v1\/receivers\/[^/]+(\/test)?$/.test(path) || /^\/api\/v1\/deliveries\/[^/]+\/retry$/.test(path)) {
        tally.auditedWrites += 1; // a receiver created, changed, deleted or tested, or a delivery retried by hand
      } else if ((method === 'PUT' && path === '/api/v1/alert-rules') || (method === 'POST' && path === '/api/v1/silences') || (method === 'DELETE' && path.startsWith('/api/v1/silences/'))) {
        tally.auditedWrites += 1; // a new alert-rules version, a silence created or expired
      } else if (method === 'POST' && path === '/api/v1/kill-switch/preview') {
        tally.auditedWrites += 1; // a kill switch preview (it suspends nothing; executing needs its token, which fuzzing cannot guess)
      } else if (method === 'POST' && ['/api/v1/policy/evaluate', '/api/v1/policy/simulate', '/api/v1/events', '/api/v1/runs'].includes(path)) {
        // Telemetry, not governance: a decision row, a read-only replay, events or runs — none is audited.
      } else {
        throw new Error(`a successful ${method} ${path} (${status}) that this fuzzer does not know how to account for: teach it`);
      }
    }
    return response;
  }

  function materialise(operation: Operation, spec: RequestSpec): { options: InjectOptions; description: string } {
    let path = operation.path;
    for (const [name, { value, raw }] of Object.entries(spec.pathParams)) {
      let text: string;
      if (value instanceof PoolRef) {
        const pool = pools[value.pool];
        text = pool.length > 0 ? pool[value.index % pool.length]! : randomUUID();
      } else {
        text = toText(value);
      }
      path = path.replace(`{${name}}`, raw ? text : encodeComponent(text));
    }
    const query = spec.query.map(({ name, value, raw }) => `${raw ? name : encodeComponent(name)}=${raw ? toText(value) : encodeComponent(toText(value))}`).join('&');
    const url = query === '' ? path : `${path}?${query}`;

    const headers: Record<string, string> = { ...spec.extraHeaders };
    if (spec.auth.kind === 'role') {
      const secret = ctx().keys[spec.auth.role];
      if (spec.auth.via === 'bearer') headers.authorization = `Bearer ${secret}`;
      else headers['x-api-key'] = secret;
    } else if (spec.auth.kind === 'headers') {
      for (const [name, value] of Object.entries(spec.auth.headers)) headers[name] = toText(value);
    }
    if (spec.correlationId !== undefined) headers['x-correlation-id'] = toText(spec.correlationId);

    let payload: string | Buffer | undefined;
    const body = spec.body;
    if (body.kind !== 'none') {
      payload = body.kind === 'json' ? toJsonText(body.value) : body.kind === 'text' ? body.text : Buffer.from(body.hex, 'hex');
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    }
    const description = `${spec.method} ${url.slice(0, 300)}${url.length > 300 ? `… (${url.length} chars)` : ''} [${spec.auth.kind === 'role' ? `${spec.auth.role} via ${spec.auth.via}` : spec.auth.kind}] body ${
      payload === undefined ? 'none' : `${String(headers['content-type'])}: ${String(typeof payload === 'string' ? payload : payload.toString('hex')).slice(0, 300)} (${payload.length} chars)`
    }`;
    return { options: { method: spec.method as InjectOptions['method'], url, headers, ...(payload === undefined ? {} : { payload }) }, description };
  }

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    console.log(`[fuzz ${target.name}] seed ${SEED} (set ORCA_FUZZ_SEED to change it); budget ${budget} generated requests`);
    const response = await ctx().app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    operations = operationsOf(dereference(response.json() as OpenApiDocument));
    setupKeys = Number((await ctx().container.db.query<{ count: number }>('select count(*)::int8 as count from api_key')).rows[0]?.count);
    // A few rows for path parameters to hit, created through the API so that the books include them.
    for (let index = 0; index < 8; index += 1) {
      const created = await send({
        method: 'POST',
        url: '/api/v1/agents',
        headers: ctx().as('operator'),
        payload: { name: `fuzz-seed-${index}`, kind: 'workflow', status: index % 3 === 0 ? 'quarantined' : 'active', external_id: `seed-${index}`, source: 'n8n' },
      });
      expect(created.statusCode).toBe(201);
    }
    for (const role of ['viewer', 'operator'] as const) {
      expect((await send({ method: 'POST', url: '/api/v1/keys', headers: ctx().as('admin'), payload: { name: `fuzz-${role}`, role } })).statusCode).toBe(201);
    }
  });

  afterAll(() => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  it('publishes operations to fuzz, each with its role', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
    expect(operations.every((operation) => operation.role !== undefined)).toBe(true);
    expect(operations.filter((operation) => operation.body !== undefined).length).toBeGreaterThan(0);
  });

  it(
    'answers every generated request without a 5xx, and every 4xx as an RFC 9457 problem',
    async () => {
      const runsPerOperation = Math.ceil(budget / operations.length);
      for (const operation of operations) {
        await fc.assert(
          fc.asyncProperty(requestArb(operation), async (spec) => {
            const { options, description } = materialise(operation, spec);
            let response: LightMyRequestResponse;
            try {
              response = await send(options);
            } catch (error) {
              throw new Error(`inject threw for ${operation.method} ${operation.path}: ${description}: ${String(error)}`);
            }
            tally.cases += 1;
            checkAnswer(`${operation.method} ${operation.path}: ${description}`, response);
          }),
          { seed: SEED, numRuns: runsPerOperation, verbose: true },
        );
      }
      const statuses = Object.fromEntries([...tally.statuses].sort(([a], [b]) => a - b));
      console.log(`[fuzz ${target.name}] ${tally.cases} requests over ${operations.length} operations (seed ${SEED}); statuses ${JSON.stringify(statuses)}; ` +
        `agents created ${tally.agentsCreated}, keys created ${tally.keysCreated}, revoked ${tally.keysRevoked}, transitions ${tally.transitions}`);
      expect(tally.cases).toBeGreaterThanOrEqual(MINIMUM_CASES[target.name]);
      // The mix must reach the handlers and the database, not only the validators.
      expect(tally.statuses.get(201) ?? 0).toBeGreaterThan(20);
      expect(tally.statuses.get(200) ?? 0).toBeGreaterThan(100);
      for (const status of [400, 401, 403, 404, 409, 413, 415]) expect(tally.statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
    },
    900_000,
  );

  it('stayed alive: no uncaught exception or unhandled rejection, and the liveness probe answers', async () => {
    expect(crashes).toEqual([]);
    expect((await ctx().app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    expect((await ctx().app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  // Regressions: the bugs this fuzzer found, pinned as plain examples (docs/errors.md: bad input is never a 5xx).

  it('refuses a lone UTF-16 surrogate anywhere in a JSON body with 400, writing nothing (was a 500 from the fingerprint)', async () => {
    const before = await ctx().container.db.query<{ n: number }>('select count(*)::int8 as n from agent');
    const agentId = pools.agent[0]!;
    for (const [method, url, payload] of [
      ['POST', '/api/v1/agents', '{"name":"a","kind":"workflow","config":{"k":"\\udc00x"}}'],
      ['POST', '/api/v1/agents', '{"name":"a","kind":"workflow","config":{"\\ud800":1}}'],
      ['POST', '/api/v1/agents', '{"name":"a","kind":"workflow","prompt":"\\ud83d"}'],
      ['POST', '/api/v1/agents', '{"name":"a","kind":"workflow","tools":[{"name":"t","description":"\\udfff"}]}'],
      ['POST', '/api/v1/agents', '{"name":"a\\ud800","kind":"workflow"}'],
      ['PATCH', `/api/v1/agents/${agentId}`, '{"prompt":"x\\ud800y"}'],
      ['POST', `/api/v1/agents/${agentId}/suspend`, '{"reason":"\\udc00"}'],
      ['POST', '/api/v1/keys', '{"name":"\\ud800","role":"viewer"}'],
    ] as const) {
      const response = await ctx().app.inject({ method, url, headers: { ...ctx().as('admin'), 'content-type': 'application/json' }, payload });
      expect(response.statusCode, `${method} ${url} ${payload}: ${response.body}`).toBe(400);
      expect(response.json()).toMatchObject({
        type: 'urn:orca:problem:bad_request',
        status: 400,
        detail: 'the request body contains a lone UTF-16 surrogate escape, which is not Unicode text',
      });
    }
    expect((await ctx().container.db.query<{ n: number }>('select count(*)::int8 as n from agent')).rows).toEqual(before.rows);
    // Paired surrogates (an emoji written as an escape) are Unicode and still accepted.
    const emoji = await send({ method: 'POST', url: '/api/v1/agents', headers: { ...ctx().as('operator'), 'content-type': 'application/json' }, payload: '{"name":"\\ud83d\\ude00","kind":"workflow","config":{"e":"\\ud83d\\ude00"}}' });
    expect(emoji.statusCode, emoji.body).toBe(201);
    expect(emoji.json()).toMatchObject({ name: '😀', config: { e: '😀' } });
  });

  it('measures a 400,000-element body with an escape in it without overflowing (the surrogate walk is iterative)', async () => {
    const payload = `{"name":"wide \\u0041","kind":"workflow","config":{"a":[${new Array<string>(400_000).fill('0').join(',')}]}}`;
    const response = await send({ method: 'POST', url: '/api/v1/agents', headers: { ...ctx().as('operator'), 'content-type': 'application/json' }, payload });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(201);
    expect((response.json() as { name: string }).name).toBe('wide A');
  });

  it('refuses an expires_at on a leap second with 400 on /body/expires_at, writing no key (was a 500: Invalid Date)', async () => {
    const before = await ctx().container.db.query<{ n: number }>('select count(*)::int8 as n from api_key');
    for (const expiresAt of LEAP_SECONDS) {
      const response = await ctx().app.inject({ method: 'POST', url: '/api/v1/keys', headers: ctx().as('admin'), payload: { name: 'leap', role: 'viewer', expires_at: expiresAt } });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ type: 'urn:orca:problem:validation_failed', errors: [{ path: '/body/expires_at' }] });
    }
    expect((await ctx().container.db.query<{ n: number }>('select count(*)::int8 as n from api_key')).rows).toEqual(before.rows);
  });

  it('still accepts a future expires_at a second before a leap second', async () => {
    const response = await send({ method: 'POST', url: '/api/v1/keys', headers: ctx().as('admin'), payload: { name: 'not-leap', role: 'viewer', expires_at: '2099-12-31T23:59:59Z' } });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('wrote nothing partial: rows, events and audit entries match the successes observed', async () => {
    const db = ctx().container.db;
    const one = async (sql: string) => Number((await db.query<{ n: number }>(sql)).rows[0]?.n);
    expect(await one('select count(*)::int8 as n from agent')).toBe(tally.agentsCreated);
    // Each agent has exactly one register event, and no event lacks its agent.
    expect(
      (await db.query(`select a.id from agent a left join agent_event e on e.agent_id = a.id and e.action = 'register' group by a.id having count(e.id) <> 1`)).rows,
    ).toEqual([]);
    expect(await one('select count(*)::int8 as n from agent_event e where not exists (select 1 from agent a where a.id = e.agent_id)')).toBe(0);
    expect(await one(`select count(*)::int8 as n from agent_event where action not in ('register', 'definition_changed')`)).toBe(tally.transitions);
    expect(await one('select count(*)::int8 as n from api_key')).toBe(setupKeys + tally.keysCreated);
    expect(await one('select count(*)::int8 as n from api_key where revoked_at is not null')).toBe(tally.keysRevoked);
    const report = await ctx().container.modules.audit.service.verify();
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    // One entry per key the app was built with, plus one per successful write.
    expect(report.entries_checked).toBe(setupKeys + tally.auditedWrites);
  });
});
