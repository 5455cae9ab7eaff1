import { EnvelopeError } from './types.js';

/** One decoder for every body: a fatal (non-streaming) decode keeps no state from one call to the next. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parse a JSON request body; anything that is not UTF-8 JSON is an envelope error (400), never a crash. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new EnvelopeError('the body is empty');
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    throw new EnvelopeError('the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EnvelopeError('the body is not valid JSON');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property (never one inherited from Object.prototype, whatever the key). */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A non-empty string or a finite number (as text); `undefined` otherwise. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The first value of a header (names are lower-case in RawDelivery), trimmed; `undefined` when absent or empty. */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(headers: Record<string, string | undefined>): string | undefined {
  const value = header(headers, 'content-type');
  return value?.split(';')[0]?.trim().toLowerCase();
}
