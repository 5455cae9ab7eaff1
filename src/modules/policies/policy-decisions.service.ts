/** Policy decisions: evaluating a call against the active policy (the hot path), and the violations recorded. */
import { AppError } from '../../platform/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import type { AgentService } from '../agents/index.js';
import type { CompiledPolicy } from './compile-policy.js';
import { instant } from './date-time.js';
import type { DecisionLogRepository } from './decision-log.repository.js';
import { decide, injectionFacts, MAX_RECORDED_SIGNALS, redactContent, scanContent, type AgentFacts, type ContentScan, type EvaluationFacts } from './evaluate.js';
import type { InjectionClassifier } from './injection-classifier.js';
import type { PolicyMetrics } from './policies.metrics.js';
import type { EvaluateInput, EvaluateOutput, ViolationsQueryInput } from './policies.schemas.js';
import type { DecisionRecorder } from './policy-decisions.recorder.js';

export interface PolicyDecisionServiceDeps {
  activePolicy: () => Promise<CompiledPolicy>;
  agents: Pick<AgentService, 'get'>;
  recorder: Pick<DecisionRecorder, 'settle'>;
  log: Pick<DecisionLogRepository, 'listViolations'>;
  metrics: PolicyMetrics;
  /** Calls a policy's external injection classifier; absent, the built-in detector always decides. */
  classifier?: InjectionClassifier;
}

export function createPolicyDecisionService(deps: PolicyDecisionServiceDeps) {
  const { activePolicy, agents, log, metrics } = deps;
  const { settle } = deps.recorder;

  async function agentFacts(agentId: string): Promise<AgentFacts | null> {
    try {
      const agent = await agents.get(agentId);
      return { id: agent.id, status: agent.status, role: agent.role, classification: agent.classification };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** A policy naming an external classifier: its verdict replaces the built-in score; on failure the built-in one stands. */
  async function classifyExternally(policy: CompiledPolicy, scan: ContentScan, input: EvaluateInput, correlationId: string | null): Promise<void> {
    const external = policy.injection.detector?.external;
    if (!external || !deps.classifier || input.content === undefined || input.content === '') return;
    const verdict = await deps.classifier(external, input.content, input.content_origin, correlationId);
    if (verdict) {
      scan.injectionScore = verdict.score;
      scan.injectionSignals = verdict.signals;
    } else {
      scan.injectionSignals = [...(scan.injectionSignals ?? []).slice(0, MAX_RECORDED_SIGNALS - 1), 'external.unavailable'];
    }
  }

  return {
    async evaluate(input: EvaluateInput, correlationId: string | null): Promise<EvaluateOutput> {
      const started = process.hrtime.bigint();
      const policy = await activePolicy();
      const agent = await agentFacts(input.agent_id);
      const scan = scanContent(policy, input.content, input.content_origin);
      await classifyExternally(policy, scan, input, correlationId);
      const facts: EvaluationFacts = {
        agent_id: input.agent_id,
        agent,
        action: input.action,
        classification: input.classification,
        pii: scan.counts,
        ...injectionFacts(scan),
      };
      const { outcome, decisionId } = await settle(policy, facts, input, decide(policy, facts), started, correlationId);

      if (outcome.violations.length === 0) metrics.decisions.inc({ decision: outcome.decision, rule: 'none' });
      for (const rule of new Set(outcome.violations.map((violation) => violation.rule))) metrics.decisions.inc({ decision: outcome.decision, rule });
      metrics.duration.observe({ decision: outcome.decision }, Number(process.hrtime.bigint() - started) / 1e9);

      const result: EvaluateOutput = {
        decision: outcome.decision,
        violations: outcome.violations,
        policy_version: policy.version,
        mode: policy.mode,
        decision_id: decisionId,
      };
      if (outcome.decision === 'redact' && input.content !== undefined) {
        result.redacted_content = redactContent(input.content, scan.findings, outcome.redact);
      }
      return result;
    },

    async listViolations(query: ViolationsQueryInput) {
      const limit = query.limit ?? 50;
      const rows = await log.listViolations({
        ...(query.agent_id ? { agent_id: query.agent_id } : {}),
        ...(query.rule ? { rule: query.rule } : {}),
        ...(query.severity ? { severity: query.severity } : {}),
        ...(query.decision ? { decision: query.decision } : {}),
        ...(query.since ? { since: instant(query.since, '/querystring/since') } : {}),
        ...(query.until ? { until: instant(query.until, '/querystring/until') } : {}),
        after: decodeCursor(query.cursor),
        limit: limit + 1,
      });
      return pageOf(
        rows.map((row) => ({ ...row, at: row.at.toISOString() })),
        limit,
      );
    },
  };
}

function isNotFound(error: unknown): boolean {
  return error instanceof AppError && error.code === 'not_found';
}

export type PolicyDecisionService = ReturnType<typeof createPolicyDecisionService>;
