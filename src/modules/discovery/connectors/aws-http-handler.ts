/**
 * The AWS SDK's HTTP layer replaced by ORCA's outbound client, so that calls to AWS get what every call out of ORCA
 * gets: the SSRF guard (a configurable endpoint could point anywhere), the source's circuit breaker, timeouts, and
 * retries that honour Retry-After (the SDK's own retries are turned off by the connector: maxAttempts 1). The SDK
 * signs the request before it reaches `handle`; resending the same signed request on a retry is what AWS expects.
 */
import type { OutboundClient, OutboundRequest } from '../../../platform/outbound/index.js';

/** The parts of the SDK's HttpRequest this handler reads (@smithy/types HttpRequest). */
interface SignedRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | Array<string> | null>;
  headers: Record<string, string>;
  body?: unknown;
}

function urlOf(request: SignedRequest): string {
  const url = new URL(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value === null) url.searchParams.append(name, '');
    else for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item);
  }
  return url.toString();
}

function bodyOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new TypeError('the AWS request body is a stream: not supported by discovery');
}

export function awsHttpHandler(outbound: Pick<OutboundClient, 'request'>, target: { id: string }, correlationId: string) {
  return {
    async handle(request: SignedRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }> {
      const headers = { ...request.headers };
      // Node's http sets Host itself from the URL; the signed value is the same.
      delete headers.host;
      const body = bodyOf(request.body);
      const answer = await outbound.request(
        { kind: 'discovery', id: target.id },
        { url: urlOf(request), method: request.method as OutboundRequest['method'], headers, ...(body !== undefined ? { body } : {}), correlationId },
      );
      return { response: { statusCode: answer.status, headers: answer.headers, body: Buffer.from(answer.body, 'utf8') } };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
    destroy(): void {},
  };
}
