import { airflowConnector } from './airflow.js';
import { lambdaConnector } from './lambda.js';
import { makeConnector } from './make.js';
import { mcpConnector } from './mcp.js';
import { n8nConnector } from './n8n.js';
import type { Connector, DiscoverySourceKind } from './types.js';

type StoredConnector = Connector<Record<string, unknown>, Record<string, unknown>>;

/**
 * One connector per source kind (docs/discovery.md "Connectors"), over the config and credentials as stored: each
 * connector's types are what its schemas admit, and nothing reaches it unchecked (discovery-sources.service.ts
 * checks both against the schemas on every write).
 */
const stored = <C, K>(connector: Connector<C, K>) => connector as unknown as StoredConnector;

export const CONNECTORS: Record<DiscoverySourceKind, StoredConnector> = {
  mcp: stored(mcpConnector),
  n8n: stored(n8nConnector),
  make: stored(makeConnector),
  airflow: stored(airflowConnector),
  lambda: stored(lambdaConnector),
};

export { DISCOVERY_SOURCE_KINDS, type DiscoverySourceKind } from './types.js';
