/** A small client for ORCA's HTTP API: the demo drives the product only through it, as any integration would. */

/** The demo cannot go on (ORCA unreachable, key refused, rate limited for long): one actionable message. */
export class DemoError extends Error {}

/** Waits longer than this for a rate limit or an unavailable server are not worth it: the demo stops and says so. */
const MAX_RETRY_WAIT_SECONDS = 30;
const MAX_ATTEMPTS = 4;

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  /** the problem's title/detail when the answer was an error */
  problem: string | null;
}

export class DemoClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
    // Generous: an embedded (PGlite) ORCA on a busy machine can take seconds per request; a hang still ends.
    private readonly timeoutMs = 120_000,
  ) {}

  /** The same server with another key (the demo pushes data with an ingest key of its own). */
  withKey(apiKey: string): DemoClient {
    return new DemoClient(this.baseUrl, apiKey, this.timeoutMs);
  }

  /** 429 and 503 are retried after their Retry-After when it is short; a long wait stops the demo with a reason. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: { json?: unknown; body?: string; headers?: Record<string, string>; auth?: boolean } = {},
  ): Promise<ApiResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.requestOnce<T>(method, path, options);
      if ((answer.status !== 429 && answer.status !== 503) || attempt === MAX_ATTEMPTS) return answer.response;
      const wait = answer.retryAfterSeconds ?? 1;
      if (wait > MAX_RETRY_WAIT_SECONDS) {
        throw new DemoError(
          answer.status === 429
            ? `ORCA rate-limited the demo's key for ${wait} s more (RATE_LIMIT_MAX per key and RATE_LIMIT_WINDOW); run it again later`
            : `ORCA is unavailable (503) for ${wait} s more`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }

  private async requestOnce<T>(
    method: string,
    path: string,
    options: { json?: unknown; body?: string; headers?: Record<string, string>; auth?: boolean },
  ): Promise<{ response: ApiResponse<T>; status: number; retryAfterSeconds: number | null }> {
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
    // ORCA wants a key on webhooks too (ingest access, docs/SECURITY.md), on top of the source's signature.
    if (options.auth !== false) headers['x-api-key'] = this.apiKey;
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    let problem: string | null = null;
    if (response.status >= 400) {
      const details = parsed as { title?: string; detail?: string; errors?: Array<{ path?: string; message?: string }> };
      const first = details?.errors?.[0];
      problem = [details?.title, details?.detail, first ? `${first.path ?? ''} ${first.message ?? ''}`.trim() : undefined]
        .filter((part) => typeof part === 'string' && part !== '')
        .join(': ');
      if (problem === '') problem = `HTTP ${response.status}`;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      response: { status: response.status, body: parsed as T, problem },
      status: response.status,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, json: unknown) {
    return this.request<T>('POST', path, { json });
  }

  patch<T = unknown>(path: string, json: unknown) {
    return this.request<T>('PATCH', path, { json });
  }

  put<T = unknown>(path: string, json: unknown) {
    return this.request<T>('PUT', path, { json });
  }

  /** Every item of a paginated list (cursor pagination, docs/ARCHITECTURE.md). */
  async listAll<T>(path: string): Promise<T[] | null> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: ApiResponse<{ items: T[]; next_cursor: string | null }> = await this.get(
        `${path}${separator}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (page.status !== 200) return null;
      items.push(...page.body.items);
      cursor = page.body.next_cursor;
    } while (cursor);
    return items;
  }
}
