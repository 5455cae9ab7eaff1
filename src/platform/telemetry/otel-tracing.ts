/**
 * The OpenTelemetry SDK behind ORCA's tracing seam (tracing.ts), loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 * Spans are batched and exported as OTLP/HTTP JSON to `<endpoint>/v1/traces`.
 *
 * Nothing is registered globally (no global tracer provider, context manager or propagator): the instance is
 * self-contained, so several containers in one process (tests) each trace on their own and nothing else in the
 * process is instrumented behind ORCA's back. The SDK still honours the standard OTEL_* variables it reads itself
 * (sampler, batch sizes, exporter headers, resource attributes: docs/observability.md, "Traces").
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_TYPE, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { scrubString } from './redact.js';
import { tracesUrl, type OpenSpan, type SpanAttributes, type SpanKindName, type SpanSpec, type Tracing, type TracingSettings } from './tracing.js';

const KINDS: Record<SpanKindName, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

function definedAttributes(attributes: SpanAttributes | undefined): Attributes {
  const defined: Attributes = {};
  if (attributes) for (const [key, value] of Object.entries(attributes)) if (value !== undefined) defined[key] = value;
  return defined;
}

function traceparentOf(span: Span): string {
  const context = span.spanContext();
  return `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * Reports the first failed export and the first success after failures, instead of every batch: an unreachable
 * collector must not fill the log. The SDK itself only tells its diagnostic logger, which ORCA does not install.
 */
function reportingExporter(exporter: SpanExporter, settings: Pick<TracingSettings, 'onExportFailure' | 'onExportRecovered'>): SpanExporter {
  let failing = false;
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      exporter.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS && !failing) {
          failing = true;
          settings.onExportFailure?.(result.error);
        } else if (result.code === ExportResultCode.SUCCESS && failing) {
          failing = false;
          settings.onExportRecovered?.();
        }
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

export function createOtelTracing(settings: TracingSettings & { otelEndpoint: string }): Tracing {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const propagator = new W3CTraceContextPropagator();
  const exporter = new OTLPTraceExporter({ url: tracesUrl(settings.otelEndpoint) });
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, name the service instead.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'orca', [ATTR_SERVICE_VERSION]: settings.version }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(reportingExporter(exporter, settings))] });
  const tracer = provider.getTracer('orca', settings.version);

  function parentContext(spec: SpanSpec): Context {
    if (!spec.parent) return contextManager.active();
    const { traceparent, tracestate } = spec.parent;
    // A carried traceparent replaces whatever is active (a job fetched while a request ran); none, a new trace.
    if (traceparent === undefined) return ROOT_CONTEXT;
    return propagator.extract(ROOT_CONTEXT, { traceparent, ...(tracestate === undefined ? {} : { tracestate }) }, defaultTextMapGetter);
  }

  function open(span: Span, parent: Context): OpenSpan {
    const context = trace.setSpan(parent, span);
    return {
      traceparent: traceparentOf(span),
      traceId: span.spanContext().traceId,
      setAttributes: (attributes) => span.setAttributes(definedAttributes(attributes)),
      fail(error) {
        const type = error instanceof Error ? error.name : typeof error;
        const message = scrubString(error instanceof Error ? error.message : String(error));
        // The message scrubbed like a log line (it may quote a URL with a credential); no stack: it repeats it.
        span.addEvent('exception', { [ATTR_EXCEPTION_TYPE]: type, [ATTR_EXCEPTION_MESSAGE]: message });
        span.setStatus({ code: SpanStatusCode.ERROR, message });
      },
      setError: (description) => span.setStatus({ code: SpanStatusCode.ERROR, message: description }),
      run: (fn) => contextManager.with(context, fn),
      end: () => span.end(),
    };
  }

  return {
    start(spec) {
      const parent = parentContext(spec);
      if (spec.withinTraceOnly && trace.getSpan(parent) === undefined) return undefined;
      const span = tracer.startSpan(spec.name, { kind: KINDS[spec.kind], attributes: definedAttributes(spec.attributes) }, parent);
      return open(span, parent);
    },
    activeTraceparent() {
      const span = trace.getSpan(contextManager.active());
      return span ? traceparentOf(span) : undefined;
    },
    logFields(): Record<string, string> {
      const span = trace.getSpan(contextManager.active());
      // A new object each time: pino merges the line's own fields into what the mixin returns.
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      contextManager.disable();
    },
  };
}
