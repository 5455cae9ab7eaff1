import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

/** One sample of the registry as a scrape reads it: `name` may be a histogram's `_count` or `_sum`. */
async function sample(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const family = (await metrics.registry.getMetricsAsJSON()).find((metric) => metric.name === name.replace(/_(count|sum)$/, ''));
  const wanted = Object.entries(labels);
  return (family?.values ?? []).find(
    (entry) =>
      ((entry as { metricName?: string }).metricName ?? family!.name) === name &&
      wanted.every(([key, expected]) => String((entry.labels as Record<string, unknown>)[key]) === expected),
  )?.value;
}

describe('recordHttpRequest', () => {
  it('counts requests per label set exactly, however often the registry is read in between', async () => {
    const metrics = createMetrics();
    const byId = { method: 'GET', route: '/api/v1/agents/:id', status_code: '200' };
    for (let i = 0; i < 3; i += 1) metrics.recordHttpRequest('GET', '/api/v1/agents/:id', 200, 0.002);
    metrics.recordHttpRequest('GET', '/api/v1/agents/:id', 404, 0.001);
    expect(await sample(metrics, 'orca_http_requests_total', byId)).toBe(3);
    expect(await sample(metrics, 'orca_http_requests_total', byId)).toBe(3);
    expect(await sample(metrics, 'orca_http_requests_total', { ...byId, status_code: '404' })).toBe(1);

    metrics.recordHttpRequest('GET', '/api/v1/agents/:id', 200, 0.004);
    expect(await sample(metrics, 'orca_http_requests_total', byId)).toBe(4);
    expect(await sample(metrics, 'orca_http_request_duration_seconds_count', byId)).toBe(4);
    expect(await sample(metrics, 'orca_http_request_duration_seconds_sum', byId)).toBeCloseTo(0.01, 10);
    // The text exposition sees the same numbers.
    expect(await metrics.registry.metrics()).toContain('orca_http_requests_total{method="GET",route="/api/v1/agents/:id",status_code="200"} 4');
  });
});
