/** Policy decisions: evaluating a call against the active policy (the hot path), and the violations recorded. */
import { AppError } from '../../platform/errors.js';
import { contentDigest, type ApprovalBinding, type ApprovalGate, type ConsumedApproval } from './approval-gate.js';
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
  /** Opens approvals and judges presented ones (the approvals module); absent, approval_id is refused. */
  approvals?: ApprovalGate;
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
    /**
     * `requestedBy`: the API key asking, recorded on an approval the decision opens (it may never decide it).
     * Bad input is refused before anything is written: a callback URL the SSRF guard refuses is a 400.
     */
    async evaluate(input: EvaluateInput, correlationId: string | null, requestedBy: string | null = null): Promise<EvaluateOutput> {
      const started = process.hrtime.bigint();
      const gate = deps.approvals;
      if (input.callback_secret !== undefined && input.callback_url === undefined) {
        throw new AppError('validation_failed', 'callback_secret needs a callback_url', { errors: [{ path: '/body/callback_secret', message: 'needs callback_url' }] });
      }
      if (input.callback_url !== undefined) {
        if (!gate) throw new AppError('validation_failed', 'callback_url cannot be used: approvals are not available', { errors: [{ path: '/body/callback_url', message: 'approvals are not available' }] });
        await gate.checkCallbackUrl(input.callback_url);
      }
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
      let binding: ApprovalBinding | undefined;
      const bindingOf = (): ApprovalBinding =>
        (binding ??= { agentId: input.agent_id, action: input.action, resource: input.resource, classification: input.classification, contentDigest: contentDigest(input.content) });
      const approvalId = input.approval_id?.toLowerCase();
      if (approvalId !== undefined) {
        facts.approval = gate ? await gate.present(approvalId, bindingOf()) : { id: approvalId, verdict: 'invalid', reason: 'cannot be checked: approvals are not available' };
      }
      let decided = decide(policy, facts);
      // The approval is used before the decision is recorded, so that an allow is only ever recorded for the one
      // call that won it; a call the approval would not let through (a deny) leaves it untouched.
      let consumed: ConsumedApproval | null = null;
      if (approvalId !== undefined && gate && facts.approval?.verdict === 'approved' && decided.decision !== 'deny') {
        consumed = await gate.consume(approvalId, bindingOf(), { keyId: requestedBy, correlationId });
        if (!consumed) {
          facts.approval = { id: approvalId, verdict: 'invalid', reason: 'was used by another call' };
          decided = decide(policy, facts);
        }
      }
      const { outcome, decisionId } = await settle(policy, facts, input, decided, started, correlationId);
      if (consumed && outcome.decision === 'deny') await consumed.release();

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
      if (outcome.decision === 'require_approval' && gate) {
        const opened = await gate.open({
          ...bindingOf(),
          rule: outcome.approvalRules[0] ?? 'approval_required',
          violations: outcome.violations.map(({ rule, severity, detail }) => ({ rule, severity, detail })),
          decisionId,
          policyVersion: policy.version,
          riskCostUsd: outcome.heldRiskUsd,
          expiresAfterMs: policy.approval.expiresAfterMs,
          approvers: policy.approval.approvers,
          requestedBy: requestedBy ?? 'anonymous',
          correlationId,
          ...(input.callback_url !== undefined ? { callback: { url: input.callback_url, ...(input.callback_secret !== undefined ? { secret: input.callback_secret } : {}) } } : {}),
        });
        if (opened) result.approval = opened;
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
