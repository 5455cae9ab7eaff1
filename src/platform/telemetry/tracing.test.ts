import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { startTracing, traced, tracesUrl } from './tracing.js';

/** Modules of the OpenTelemetry SDK loaded in this process (its packages are CommonJS: Node's module cache lists them). */
function loadedSdkModules(): string[] {
  return Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('@opentelemetry/sdk-trace-base'));
}

describe('startTracing', () => {
  it('loads none of the OpenTelemetry SDK without an endpoint, and loads it with one', async () => {
    expect(await startTracing({ otelEndpoint: undefined, version: '0.0.0' })).toBeUndefined();
    expect(loadedSdkModules()).toEqual([]);
    // Nothing listens on the discard port; nothing is exported either (no span is made).
    const tracing = await startTracing({ otelEndpoint: 'http://127.0.0.1:9', version: '0.0.0' });
    expect(tracing).toBeDefined();
    expect(loadedSdkModules().length).toBeGreaterThan(0);
    await tracing!.shutdown();
  });

  it('runs the work alone when tracing is off', async () => {
    await expect(traced(undefined, { name: 'x', kind: 'internal' }, async (span) => span)).resolves.toBeUndefined();
  });
});

describe('tracesUrl', () => {
  it.each([
    ['http://collector:4318', 'http://collector:4318/v1/traces'],
    ['http://collector:4318/', 'http://collector:4318/v1/traces'],
    ['https://otel.example.com/otlp//', 'https://otel.example.com/otlp/v1/traces'],
  ])('%s → %s', (endpoint, url) => {
    expect(tracesUrl(endpoint)).toBe(url);
  });
});
