/**
 * ORCA's tracing seam (docs/observability.md, "Traces"). Tracing is optional: without OTEL_EXPORTER_OTLP_ENDPOINT
 * `startTracing` returns undefined, the OpenTelemetry SDK is never imported, and every seam that could trace (HTTP
 * hooks, database statements, jobs, outbound calls, the logger's trace fields) is left exactly as it is without
 * tracing — nothing is installed, so the hot path pays nothing. With an endpoint, the SDK is loaded by a dynamic
 * import and spans leave the process by OTLP/HTTP.
 *
 * The seams depend on this interface only, never on OpenTelemetry's types: the SDK stays one module
 * (otel-tracing.ts) that nothing imports statically.
 */

export type SpanKindName = 'server' | 'client' | 'producer' | 'consumer' | 'internal';

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export interface SpanSpec {
  name: string;
  kind: SpanKindName;
  attributes?: SpanAttributes;
  /**
   * Where the span hangs: a W3C `traceparent` (and `tracestate`) carried by a request or a job, a child of it; absent,
   * a child of the span active where `start` is called, or a new trace when there is none.
   */
  parent?: { traceparent: string | undefined; tracestate?: string | undefined };
  /** Only within a trace: undefined instead of a new trace when no span is active (database statements). */
  withinTraceOnly?: boolean;
}

/** A started span. Ended once, by whoever started it. */
export interface OpenSpan {
  /** This span as a W3C `traceparent`: what a call or a job made on its behalf carries. */
  readonly traceparent: string;
  readonly traceId: string;
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed (status ERROR) with the error's type and message recorded as an exception event. */
  fail(error: unknown): void;
  /** Marks the span failed (status ERROR) without an exception: an HTTP status that says so. */
  setError(description: string): void;
  /** Runs fn with this span active: spans started and lines logged within it (its promises too) belong to it. */
  run<T>(fn: () => T): T;
  end(): void;
}

export interface Tracing {
  /** Undefined only with `withinTraceOnly` and no active span. */
  start(spec: SpanSpec): OpenSpan | undefined;
  /** The active span as a `traceparent`; undefined when none is active. */
  activeTraceparent(): string | undefined;
  /** `trace_id` and `span_id` of the active span for a log line (the logger's mixin); empty when none is active. */
  logFields(): Record<string, string>;
  /** Exports every span ended so far (tests, and before a process exits). */
  flush(): Promise<void>;
  /** Exports what is left and stops. */
  shutdown(): Promise<void>;
}

export interface TracingSettings {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<endpoint>/v1/traces`. */
  otelEndpoint: string | undefined;
  /** ORCA's version: `service.version` of every span. */
  version: string;
  /** Told when an export fails, and once more when exports succeed again (not for every batch). */
  onExportFailure?: (error: Error | undefined) => void;
  onExportRecovered?: () => void;
}

/** The collector's traces URL: OTLP/HTTP appends the signal's path to the base endpoint (OTLP exporter spec). */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** The tracing of this process, or undefined when no endpoint is set: then nothing of the SDK is loaded. */
export async function startTracing(settings: TracingSettings): Promise<Tracing | undefined> {
  if (settings.otelEndpoint === undefined) return undefined;
  const { createOtelTracing } = await import('./otel-tracing.js');
  return createOtelTracing({ ...settings, otelEndpoint: settings.otelEndpoint });
}

/**
 * Runs `work` inside a new span that ends when it settles, failed when it throws. Without tracing (or outside a trace
 * with `withinTraceOnly`), `work` runs alone.
 */
export async function traced<T>(tracing: Tracing | undefined, spec: SpanSpec, work: (span: OpenSpan | undefined) => Promise<T>): Promise<T> {
  const span = tracing?.start(spec);
  if (!span) return work(undefined);
  try {
    return await span.run(() => work(span));
  } catch (error) {
    span.fail(error);
    throw error;
  } finally {
    span.end();
  }
}
