/**
 * What changed between two definitions of an agent, as a list a program can read and a sentence a person can: the
 * history of an agent that discovery found changed says which tools came and went, which tool descriptions or input
 * schemas changed, and whether the prompt, the model or the config did. Pure.
 */
import type { AgentTool } from '../agents/index.js';
import { hashOf } from './connectors/shape.js';

export interface Definition {
  tools: AgentTool[];
  prompt: string | null;
  model: string | null;
  config: Record<string, unknown>;
}

export type DefinitionChange =
  | { change: 'tool_added' | 'tool_removed' | 'tool_description_changed' | 'tool_input_schema_changed'; tool: string }
  | { change: 'prompt_changed' }
  | { change: 'model_changed'; from: string | null; to: string | null }
  | { change: 'config_changed'; keys: string[] };

const byName = (tools: AgentTool[]) => new Map(tools.map((tool) => [tool.name, tool]));
const sorted = (names: Iterable<string>) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export function diffDefinitions(before: Definition, after: Definition): DefinitionChange[] {
  const changes: DefinitionChange[] = [];
  const old = byName(before.tools);
  const now = byName(after.tools);
  for (const name of sorted(now.keys())) if (!old.has(name)) changes.push({ change: 'tool_added', tool: name });
  for (const name of sorted(old.keys())) if (!now.has(name)) changes.push({ change: 'tool_removed', tool: name });
  for (const name of sorted(now.keys())) {
    const previous = old.get(name);
    const current = now.get(name)!;
    if (!previous) continue;
    if (previous.description !== current.description) changes.push({ change: 'tool_description_changed', tool: name });
    if (previous.input_schema_hash !== current.input_schema_hash) changes.push({ change: 'tool_input_schema_changed', tool: name });
  }
  if (before.prompt !== after.prompt) changes.push({ change: 'prompt_changed' });
  if (before.model !== after.model) changes.push({ change: 'model_changed', from: before.model, to: after.model });
  const keys = sorted(new Set([...Object.keys(before.config), ...Object.keys(after.config)])).filter((key) => hashOf(before.config[key] ?? null) !== hashOf(after.config[key] ?? null));
  if (keys.length > 0) changes.push({ change: 'config_changed', keys });
  return changes;
}

const MAX_NAMED = 10;

function list(names: string[]): string {
  return names.length <= MAX_NAMED ? names.join(', ') : `${names.slice(0, MAX_NAMED).join(', ')} and ${names.length - MAX_NAMED} more`;
}

/** One sentence per kind of change, e.g. "tools added: search; description changed: read_file; model: gpt-4o → gpt-4.1". */
export function describeChanges(changes: DefinitionChange[]): string {
  const tools = (kind: DefinitionChange['change']) => changes.flatMap((change) => (change.change === kind && 'tool' in change ? [change.tool] : []));
  const parts: string[] = [];
  const named: Array<[DefinitionChange['change'], string]> = [
    ['tool_added', 'tools added'],
    ['tool_removed', 'tools removed'],
    ['tool_description_changed', 'tool descriptions changed'],
    ['tool_input_schema_changed', 'tool input schemas changed'],
  ];
  for (const [kind, label] of named) {
    const names = tools(kind);
    if (names.length > 0) parts.push(`${label}: ${list(names)}`);
  }
  for (const change of changes) {
    if (change.change === 'prompt_changed') parts.push('prompt changed');
    if (change.change === 'model_changed') parts.push(`model: ${change.from ?? 'none'} → ${change.to ?? 'none'}`);
    if (change.change === 'config_changed') parts.push(`config changed: ${list(change.keys)}`);
  }
  return parts.join('; ');
}
