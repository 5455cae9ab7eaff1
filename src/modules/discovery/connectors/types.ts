/**
 * What every connector (one file per vendor in this folder) implements: validate a source's config and credentials
 * when it is saved, and list what the vendor's system runs as agents. Connectors only read from the vendor and
 * return plain data; comparing with the registry and writing it is the run's job (run-executor.ts).
 */
import type { TSchema } from '@sinclair/typebox';
import type { FieldError } from '../../../platform/errors.js';
import type { OutboundClient } from '../../../platform/outbound/index.js';
import type { Logger } from '../../../platform/telemetry/logger.js';
import type { AgentRecord, AgentTool } from '../../agents/index.js';

export const DISCOVERY_SOURCE_KINDS = ['mcp', 'n8n', 'make', 'airflow', 'lambda'] as const;
export type DiscoverySourceKind = (typeof DISCOVERY_SOURCE_KINDS)[number];

/** One agent as its source describes it. */
export interface DiscoveredAgent {
  /** Unique within the source and stable across runs: the same external id is the same agent. */
  external_id: string;
  /**
   * The agent's external_id in the registry: a globally meaningful name (a function ARN, a workflow's URL), so that
   * one thing seen by two sources of the same kind is one agent (unique per agent source).
   */
  agent_external_id: string;
  name: string;
  kind: AgentRecord['kind'];
  vendor: string | null;
  model: string | null;
  version: string | null;
  description: string | null;
  prompt: string | null;
  /** Part of the fingerprint with tools, prompt and model: what changes what the agent can do. */
  config: Record<string, unknown>;
  tools: AgentTool[];
  /** Set when the agent is registered; people own them afterwards. */
  owner: string | null;
  tags: string[];
  /** What else the source says (kept as metadata.discovered, outside the fingerprint). */
  details: Record<string, unknown>;
}

/** An error a run records: never a credential (run-executor.ts redacts them again before storing). */
export interface RunError {
  code: string;
  message: string;
  external_id?: string;
}

export interface ConnectorResult {
  agents: DiscoveredAgent[];
  errors: RunError[];
  /**
   * The listing reached its end: what the source no longer lists is missing. False when a page failed or a bound
   * was reached: nothing is marked missing from an incomplete listing.
   */
  complete: boolean;
}

export interface DiscoveryLimits {
  /** DISCOVERY_MAX_ITEMS: agents one run lists from one source. */
  maxItems: number;
  /** DISCOVERY_MAX_TOOLS: tools, prompts or resources one MCP server lists. */
  maxTools: number;
  /** DISCOVERY_MAX_DESCRIPTION_BYTES: one tool description. */
  maxDescriptionBytes: number;
  /** One request to a server (OUTBOUND_TIMEOUT): MCP requests, which the outbound client does not time itself. */
  requestTimeoutMs: number;
  /** One message from a stdio MCP server (OUTBOUND_MAX_RESPONSE_BYTES, as for an HTTP answer). */
  maxMessageBytes: number;
}

export interface ConnectorContext<Config, Credentials> {
  sourceId: string;
  config: Config;
  credentials: Credentials | null;
  outbound: Pick<OutboundClient, 'request' | 'fetch'>;
  /** Aborted at the run's deadline (DISCOVERY_RUN_TIMEOUT) or when the process stops. */
  signal: AbortSignal;
  limits: DiscoveryLimits;
  /** DISCOVERY_STDIO_COMMANDS. */
  stdioCommands: readonly string[];
  correlationId: string;
  logger: Logger;
  /** How many agents are listed so far (for progress on a terminal); cheap to call often. */
  progress(found: number): void;
}

/** The listing could not be made at all (credentials refused, host unreachable): the run fails with this error. */
export class ConnectorFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorFailure';
  }
}

export interface ValidationContext {
  stdioCommands: readonly string[];
  outbound: Pick<OutboundClient, 'assertAllowedUrl'>;
}

export interface Connector<Config = Record<string, unknown>, Credentials = Record<string, unknown>> {
  kind: DiscoverySourceKind;
  /** Checked on every create and update (the credentials object is replaced whole when given). */
  configSchema: TSchema;
  credentialsSchema: TSchema;
  /** Checks no schema can state (a URL the SSRF guard refuses, a command outside the allow-list); paths under /body. */
  validate(config: Config, credentials: Credentials | null, context: ValidationContext): Promise<FieldError[]>;
  discover(context: ConnectorContext<Config, Credentials>): Promise<ConnectorResult>;
}
