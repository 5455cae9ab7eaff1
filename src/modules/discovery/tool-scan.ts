/**
 * Tool poisoning (instructions to the model hidden in a tool's description, which a client shows the model as
 * trusted documentation) found with the policy engine's prompt-injection detector, and the "rug pull" (a tool
 * whose description changes after the agent was approved). Pure.
 */
import type { AgentTool } from '../agents/index.js';
import { DEFAULT_INJECTION_THRESHOLD, detectInjection } from '../policies/index.js';
import type { DefinitionChange } from './definition-diff.js';

export interface ToolFinding {
  kind: 'tool_poisoning' | 'rug_pull';
  tool: string;
  detail: string;
  score: number | null;
  signals: string[];
}

/** Signals kept with a finding: the strongest few explain it. */
const SIGNALS_KEPT = 5;

/**
 * The tools among `tools` named in `names` (all of them without `names`) whose title or description the detector
 * scores at or above the threshold. A description is data the model reads, so it is scanned as a document.
 */
export function poisonedTools(tools: AgentTool[], names?: ReadonlySet<string>, threshold = DEFAULT_INJECTION_THRESHOLD): ToolFinding[] {
  const findings: ToolFinding[] = [];
  for (const tool of tools) {
    if (names && !names.has(tool.name)) continue;
    const text = [tool.title, tool.description].filter((part): part is string => typeof part === 'string' && part !== '').join('\n');
    if (text === '') continue;
    const result = detectInjection(text, { origin: 'document' });
    if (result.score < threshold) continue;
    const signals = result.signals.slice(0, SIGNALS_KEPT).map((signal) => signal.name);
    findings.push({
      kind: 'tool_poisoning',
      tool: tool.name,
      detail: `the description of tool ${tool.name} reads as a prompt injection (score ${result.score}: ${signals.join(', ')})`,
      score: result.score,
      signals,
    });
  }
  return findings;
}

/** The tools a definition change added or whose description changed: the ones to scan again. */
export function toolsToScan(changes: DefinitionChange[]): Set<string> {
  return new Set(changes.flatMap((change) => (change.change === 'tool_added' || change.change === 'tool_description_changed' ? [change.tool] : [])));
}

/** A description change of an agent that was approved before: what it was approved with is no longer what it is. */
export function rugPulls(changes: DefinitionChange[]): ToolFinding[] {
  return changes.flatMap((change) =>
    change.change === 'tool_description_changed'
      ? [{ kind: 'rug_pull' as const, tool: change.tool, detail: `the description of tool ${change.tool} changed after the agent was approved`, score: null, signals: [] }]
      : [],
  );
}
