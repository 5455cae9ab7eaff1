import { sha256Hex } from '../../platform/hash.js';
import { canonicalJson } from '../../platform/json/canonical.js';

/** A tool as the registry keeps it: its input schema is reduced to a hash (the schema itself may be large). */
export interface AgentTool {
  name: string;
  description: string | null;
  input_schema_hash: string | null;
  /** MCP extras, kept when a tool declares them; outside the fingerprint (what the tool does is name, description, input). */
  title?: string | null;
  output_schema_hash?: string | null;
  annotations?: Record<string, unknown> | null;
}

export interface AgentDefinition {
  tools: AgentTool[];
  prompt: string | null;
  model: string | null;
  config: Record<string, unknown>;
}

export function hashInputSchema(schema: unknown): string {
  return sha256Hex(canonicalJson(schema));
}

/**
 * sha256 of the canonical definition: tools (sorted by name, so declaration order does not matter),
 * prompt, model and config. Owner, tags and other bookkeeping fields deliberately do not count: the
 * fingerprint answers "did what this agent can do change?".
 */
export function fingerprintOf(definition: AgentDefinition): string {
  const tools = [...definition.tools]
    .map((tool) => ({ name: tool.name, description: tool.description, input_schema_hash: tool.input_schema_hash }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha256Hex(canonicalJson({ tools, prompt: definition.prompt, model: definition.model, config: definition.config }));
}
