import { Counter, Histogram, type Registry } from 'prom-client';

/** ok; forbidden (the key's role may not call it); invalid (arguments); refused (a 4xx of the service); error (a bug or an outage). */
export type ToolOutcome = 'ok' | 'forbidden' | 'invalid' | 'refused' | 'error';

export interface McpMetrics {
  calls: Counter<'tool' | 'outcome'>;
  duration: Histogram<'tool'>;
}

/** `tool` is bounded by the registry (the tools compiled into this build). */
export function createMcpMetrics(registry: Registry): McpMetrics {
  return {
    calls: new Counter({
      name: 'orca_mcp_tool_calls_total',
      help: 'MCP tool calls by tool and outcome (ok, forbidden, invalid, refused, error)',
      labelNames: ['tool', 'outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'orca_mcp_tool_duration_seconds',
      help: 'Time to answer an MCP tool call, from the role check to the serialised result',
      labelNames: ['tool'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
      registers: [registry],
    }),
  };
}
