import { JsonPathError, parseJsonPath, readJsonPath, type PathSegment } from '../../../platform/json-path.js';
import { MappingError, type CanonicalFields, type FieldMapping, type FieldMappingEntry, type MappingFormat, type NativeEvent } from './types.js';

/**
 * Field mappings are data, not code (docs/ingestion-formats.md): per canonical field, a JSON path into the native document, evaluated by the
 * platform's JSON path subset (src/platform/json-path.ts: `$`, `$.name`, `$.a.b`, `$.a[0]`, `$['key with space']`,
 * `$["k"]`; no filters or wildcards; own properties only).
 */

export type { PathSegment } from '../../../platform/json-path.js';

/** Parse a path into its segments; throws MappingError (with the path) when it is not of the supported syntax. */
export function parsePath(path: string): PathSegment[] {
  try {
    return parseJsonPath(path);
  } catch (error) {
    if (error instanceof JsonPathError) throw new MappingError(error.message, error.path);
    throw error;
  }
}

/** The value at a path, or `undefined` when any step is missing. Never throws for any document. */
export function evaluateSegments(document: unknown, segments: PathSegment[]): unknown {
  return readJsonPath(document, segments);
}

/**
 * Parsed paths by text. Mappings are configuration — a few dozen paths per deployment — yet every event evaluates
 * them: parsing once saves that work per event. Bounded all the same (cleared when full), since paths are input.
 */
const parsedPaths = new Map<string, PathSegment[]>();
const MAX_CACHED_PATHS = 1000;

function cachedPath(path: string): PathSegment[] {
  let segments = parsedPaths.get(path);
  if (segments === undefined) {
    segments = parsePath(path);
    if (parsedPaths.size >= MAX_CACHED_PATHS) parsedPaths.clear();
    parsedPaths.set(path, segments);
  }
  return segments;
}

export function evaluatePath(document: unknown, path: string): unknown {
  return evaluateSegments(document, cachedPath(path));
}

const MAX_TEXT_LENGTH = 1024;
const REQUIRED_FIELDS = ['event_type', 'entity_type', 'entity_id', 'occurred_at'] as const;
const OPTIONAL_FIELDS = ['sequence', 'agent_id', 'correlation_key'] as const;
const MAPPABLE_FIELDS: readonly (keyof CanonicalFields)[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS];

/** `2026-11-28`, `2026-11-28T10:00:00Z`, `…T10:00:00.123+02:00`, or with a space (as ServiceNow): no offset = UTC. */
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, and no unbounded quantifier is nested in another: linear in the input
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Timestamps outside these years are data errors, not events (and keep `toISOString` in its 4-digit range). */
const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function toText(value: unknown, path: string, field: string): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else throw new MappingError(`${field} must be a string or a number, found ${describe(value)}`, path);
  if (text.trim().length === 0) throw new MappingError(`${field} is empty`, path);
  if (text.length > MAX_TEXT_LENGTH) throw new MappingError(`${field} is longer than ${MAX_TEXT_LENGTH} characters`, path);
  return text;
}

function fromEpoch(value: unknown, unit: 'ms' | 's', path: string): number {
  let number: number;
  if (typeof value === 'number') number = value;
  // eslint-disable-next-line security/detect-unsafe-regex -- anchored, and no unbounded quantifier is nested in another: linear in the input
  else if (typeof value === 'string' && /^-?\d{1,16}(\.\d{1,9})?$/.test(value.trim())) number = Number(value.trim());
  else throw new MappingError(`occurred_at must be epoch ${unit === 'ms' ? 'milliseconds' : 'seconds'}, found ${describe(value)}`, path);
  if (!Number.isFinite(number)) throw new MappingError('occurred_at is not a finite number', path);
  return unit === 'ms' ? Math.trunc(number) : Math.trunc(number * 1000);
}

function fromIso(value: unknown, path: string): number {
  if (typeof value !== 'string') throw new MappingError(`occurred_at must be an ISO 8601 string, found ${describe(value)}`, path);
  const match = ISO_DATE_TIME.exec(value.trim());
  if (!match) throw new MappingError('occurred_at is not an ISO 8601 date-time', path);
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone] = match;
  let offset = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone;
  if (offset !== 'Z' && !offset.includes(':')) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const millis = fraction === '' ? '' : `.${fraction.slice(1, 4).padEnd(3, '0')}`;
  const text = `${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${offset}`;
  // Date.parse would roll 2026-02-31 over to March: the calendar fields must survive a round trip.
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (calendar.getUTCFullYear() !== Number(year) || calendar.getUTCMonth() + 1 !== Number(month) || calendar.getUTCDate() !== Number(day)) {
    throw new MappingError('occurred_at is not a valid calendar date', path);
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) throw new MappingError('occurred_at has an out-of-range time', path);
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new MappingError('occurred_at is not a valid date-time', path);
  return time;
}

function toOccurredAt(value: unknown, format: MappingFormat, path: string): string {
  const time = format === 'iso' ? fromIso(value, path) : fromEpoch(value, format === 'epoch_ms' ? 'ms' : 's', path);
  if (!(time >= MIN_TIME && time <= MAX_TIME)) throw new MappingError('occurred_at is outside the years 1970–9999', path);
  return new Date(time).toISOString();
}

function toSequence(value: unknown, path: string): number {
  let number: number;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && /^-?\d{1,16}$/.test(value.trim())) number = Number(value.trim());
  else throw new MappingError(`sequence must be an integer, found ${describe(value)}`, path);
  if (!Number.isSafeInteger(number)) throw new MappingError('sequence must be a safe integer', path);
  return number;
}

function toAgentId(value: unknown, path: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new MappingError('agent_id must be an agent UUID', path);
  return value.toLowerCase();
}

function entryOf(entry: FieldMappingEntry, field: string): { path: string; format: MappingFormat } {
  if (typeof entry === 'string') return { path: entry, format: 'iso' };
  if (typeof entry === 'object' && entry !== null && typeof entry.path === 'string') {
    const format = entry.format ?? 'iso';
    if (format !== 'iso' && format !== 'epoch_ms' && format !== 'epoch_s') {
      throw new MappingError(`unknown format ${JSON.stringify(format)} for ${field}`, entry.path);
    }
    return { path: entry.path, format };
  }
  throw new MappingError(`the mapping of ${field} must be a JSON path or {path, format}`, `mapping.${field}`);
}

function convert(field: keyof CanonicalFields, value: unknown, format: MappingFormat, path: string): string | number {
  switch (field) {
    case 'occurred_at':
      return toOccurredAt(value, format, path);
    case 'sequence':
      return toSequence(value, path);
    case 'agent_id':
      return toAgentId(value, path);
    default:
      return toText(value, path, field);
  }
}

/**
 * The canonical fields of a native event. Per field: the mapped path's value when present (a wrong type is an
 * error, never silently replaced); else the envelope's default; else an error for the four required fields and
 * `null` for the optional ones. Throws only MappingError, whatever the document or mapping holds.
 */
export function applyMapping(event: NativeEvent, mapping: FieldMapping): CanonicalFields {
  const result: Record<string, string | number | null> = {};
  const defaults = (typeof event.defaults === 'object' && event.defaults !== null ? event.defaults : {}) as Record<string, unknown>;
  const entries = (typeof mapping === 'object' && mapping !== null ? mapping : {}) as Record<string, unknown>;
  for (const field of MAPPABLE_FIELDS) {
    const entry = Object.hasOwn(entries, field) ? (entries[field] as FieldMappingEntry | undefined) : undefined;
    let value: unknown;
    let path = `defaults.${field}`;
    let format: MappingFormat = 'iso';
    if (entry !== undefined && entry !== null) {
      const parsed = entryOf(entry, field);
      path = parsed.path;
      format = parsed.format;
      value = evaluatePath(event.document, parsed.path);
    }
    if (value === undefined || value === null) {
      const fallback = Object.hasOwn(defaults, field) ? defaults[field] : undefined;
      if (fallback !== undefined && fallback !== null) {
        // Defaults are already canonical (ISO timestamps, integers), whatever the mapped path's format.
        result[field] = convert(field, fallback, 'iso', entry === undefined || entry === null ? path : `${path} (default)`);
        continue;
      }
      if ((REQUIRED_FIELDS as readonly string[]).includes(field)) {
        throw new MappingError(
          entry === undefined || entry === null ? `${field} is not mapped and the envelope has no default` : `${field}: nothing at this path`,
          path === `defaults.${field}` ? `mapping.${field}` : path,
        );
      }
      result[field] = null;
      continue;
    }
    result[field] = convert(field, value, format, path);
  }
  return result as unknown as CanonicalFields;
}
