/**
 * Reading a vendor's REST API through the outbound client (timeout, retries honouring Retry-After, the source's own
 * circuit breaker, the SSRF guard), and walking its pages. Errors say what happened in words an operator can act on,
 * and never carry a response body: a vendor may echo the key it refused.
 */
import { Type } from '@sinclair/typebox';
import { AppError, type FieldError } from '../../../platform/errors.js';
import { OutboundError } from '../../../platform/outbound/index.js';
import { ConnectorFailure, type ConnectorContext, type RunError, type ValidationContext } from './types.js';

export const httpUrl = (description: string) => Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://[^\\s]+$', description });

/** The SSRF guard's verdict on a URL a source will call, as field errors (loopback and private targets follow OUTBOUND_ALLOW_CIDRS). */
export async function urlErrors(context: ValidationContext, url: string, path: string): Promise<FieldError[]> {
  // A user and password in the URL would be returned with the config: credentials belong in `credentials`.
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed && (parsed.username !== '' || parsed.password !== '')) return [{ path, message: 'must not carry a user or password: give them as credentials' }];
  try {
    await context.outbound.assertAllowedUrl(url, path);
    return [];
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed') return error.details.errors ?? [{ path, message: error.message }];
    throw error;
  }
}

type Context = Pick<ConnectorContext<unknown, unknown>, 'sourceId' | 'outbound' | 'correlationId' | 'signal' | 'limits' | 'progress'>;

export async function getJson(context: Context, vendor: string, url: string, headers: Record<string, string>): Promise<unknown> {
  let answer;
  try {
    answer = await context.outbound.request(
      { kind: 'discovery', id: context.sourceId },
      { url, method: 'GET', headers: { accept: 'application/json', ...headers }, correlationId: context.correlationId },
    );
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    const code = error.reason === 'timeout' ? 'timeout' : error.reason === 'refused' ? 'refused' : error.reason === 'breaker_open' ? 'breaker_open' : 'unreachable';
    throw new ConnectorFailure(code, `${vendor} did not answer: ${error.message}`);
  }
  const { status } = answer;
  if (status === 401 || status === 403) {
    throw new ConnectorFailure('unauthorized', `${vendor} refused the credentials (HTTP ${status}): check the key and that it may read what discovery lists`);
  }
  if (status === 429) {
    const retryAfter = answer.headers['retry-after'];
    throw new ConnectorFailure('rate_limited', `${vendor} is rate limiting ORCA (HTTP 429${retryAfter ? `, Retry-After ${retryAfter}` : ''}) after ${answer.attempts} attempt(s)`);
  }
  if (status >= 500) throw new ConnectorFailure('upstream_error', `${vendor} answered HTTP ${status} after ${answer.attempts} attempt(s)`);
  if (status < 200 || status >= 300) throw new ConnectorFailure('unexpected_status', `${vendor} answered HTTP ${status} to ${new URL(url).pathname}: check the source's URL`);
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    throw new ConnectorFailure('malformed_response', `${vendor} answered with a body that is not JSON`);
  }
}

export interface Page<Item, Cursor> {
  items: Item[];
  /** Undefined on the last page. */
  next: Cursor | undefined;
}

export interface Listing<Item> {
  items: Item[];
  errors: RunError[];
  complete: boolean;
}

/**
 * Every page, in order. A failure of the first page fails the run (nothing was listed); a later one ends the listing
 * there, recorded and incomplete. So do the run's deadline, DISCOVERY_MAX_ITEMS, and a cursor that comes back.
 */
export async function listPages<Item, Cursor>(context: Context, fetchPage: (cursor: Cursor | undefined) => Promise<Page<Item, Cursor>>): Promise<Listing<Item>> {
  const items: Item[] = [];
  const seen = new Set<string>();
  let cursor: Cursor | undefined;
  for (let page = 0; ; page += 1) {
    if (context.signal.aborted) {
      if (page === 0) throw new ConnectorFailure('timeout', 'the run reached DISCOVERY_RUN_TIMEOUT before the first page');
      return { items, errors: [{ code: 'timeout', message: `the run reached DISCOVERY_RUN_TIMEOUT after ${page} page(s)` }], complete: false };
    }
    let result: Page<Item, Cursor>;
    try {
      result = await fetchPage(cursor);
    } catch (error) {
      if (page === 0 || !(error instanceof ConnectorFailure)) throw error;
      return { items, errors: [{ code: error.code, message: `page ${page + 1}: ${error.message}` }], complete: false };
    }
    items.push(...result.items);
    context.progress(items.length);
    if (items.length > context.limits.maxItems) {
      return {
        items: items.slice(0, context.limits.maxItems),
        errors: [{ code: 'too_many_items', message: `the source lists more than DISCOVERY_MAX_ITEMS (${context.limits.maxItems}) agents; the rest were not read` }],
        complete: false,
      };
    }
    if (result.next === undefined) return { items, errors: [], complete: true };
    const key = JSON.stringify(result.next);
    if (seen.has(key)) return { items, errors: [{ code: 'pagination_loop', message: `page ${page + 1} pointed back at a page already read` }], complete: false };
    seen.add(key);
    cursor = result.next;
  }
}

/** The base URL without a trailing slash, so paths join with one slash. */
export function baseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
export const stringOr = (value: unknown, fallback: string | null = null): string | null => (typeof value === 'string' && value !== '' ? value : fallback);
