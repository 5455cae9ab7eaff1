/**
 * ORCA's governance tools for agents and assistants, each calling the service its REST route calls, with that
 * route's role, input and output schemas (docs/mcp.md "Tools").
 */
import { Type } from '@sinclair/typebox';
import { PaginationQuery, Uuid } from '../../platform/http/schemas.js';
import { AgentSchema, type AgentService } from '../agents/index.js';
import { ApprovalSchema, type ApprovalService } from '../approvals/index.js';
import { EvaluateBody, EvaluateResult, type PolicyService } from '../policies/index.js';
import { GapPage, GapSeveritySchema, GapTypeSchema, type SyncService } from '../sync/index.js';
import { AgentTrustSchema, WINDOW_PATTERN, type TrustService } from '../trust/index.js';
import { defineTool, type McpTool } from './mcp-tool.js';

export interface GovernanceToolDeps {
  agents: Pick<AgentService, 'get'>;
  policies: Pick<PolicyService, 'evaluate'>;
  trust: Pick<TrustService, 'agentTrust'>;
  sync: Pick<SyncService, 'listGaps'>;
  approvals: Pick<ApprovalService, 'get'>;
}

const AgentIdInput = Type.Object({ agent_id: { ...Uuid, description: 'the agent id in ORCA' } }, { additionalProperties: false });

export function governanceTools(deps: GovernanceToolDeps): McpTool[] {
  return [
    defineTool({
      name: 'evaluate_policy',
      title: 'Evaluate an action against the policy',
      description:
        'Ask ORCA whether an agent may take an action before taking it. Returns allow, deny, redact (use redacted_content ' +
        'instead of the original) or require_approval, with the violated rules. The content is scanned for PII, secrets and ' +
        'prompt injection and never stored. Same as POST /api/v1/policy/evaluate.',
      access: 'ingest',
      inputSchema: EvaluateBody,
      outputSchema: EvaluateResult,
      // Records a decision and counts toward quotas: not read-only, not idempotent.
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      call: (input, context) => deps.policies.evaluate(input, context.correlationId),
    }),
    defineTool({
      name: 'get_agent',
      title: 'Read an agent',
      description: "An agent's registration: kind, owner, vendor, model, status (active, suspended, quarantined …), classification ceiling, role, tools and tags. Same as GET /api/v1/agents/{id}.",
      access: 'viewer',
      inputSchema: AgentIdInput,
      outputSchema: AgentSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
      call: (input) => deps.agents.get(input.agent_id),
    }),
    defineTool({
      name: 'get_trust',
      title: "Read an agent's trust score",
      description:
        "An agent's trust score (0-100) and grade over a trailing window, with its components (reliability, policy adherence, " +
        'data freshness, risk exposure), their inputs and the confidence. Same as GET /api/v1/agents/{id}/trust.',
      access: 'viewer',
      inputSchema: Type.Object(
        {
          agent_id: { ...Uuid, description: 'the agent id in ORCA' },
          window: Type.Optional(Type.String({ pattern: WINDOW_PATTERN, description: 'trailing window, 1h to 365d (e.g. 24h, 7d, 30d); default 30d' })),
        },
        { additionalProperties: false },
      ),
      outputSchema: AgentTrustSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
      call: (input) => deps.trust.agentTrust(input.agent_id, input.window),
    }),
    defineTool({
      name: 'list_open_gaps',
      title: 'List open sync gaps',
      description:
        'Open data-sync gaps (stale streams, missing records, out-of-order or duplicate events, fields that disagree across ' +
        'systems), newest first, optionally for one agent, contract, type or severity. Pass next_cursor back as cursor for the ' +
        'next page. Same as GET /api/v1/sync/gaps?status=open.',
      access: 'viewer',
      inputSchema: Type.Object(
        {
          agent_id: Type.Optional({ ...Uuid, description: 'gaps attributed to this agent' }),
          contract: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          type: Type.Optional(GapTypeSchema),
          severity: Type.Optional(GapSeveritySchema),
          ...PaginationQuery,
        },
        { additionalProperties: false },
      ),
      outputSchema: GapPage,
      annotations: { readOnlyHint: true, openWorldHint: false },
      call: (input) => deps.sync.listGaps({ ...input, status: 'open' }),
    }),
    defineTool({
      name: 'get_approval',
      title: 'Read an approval',
      description:
        'An approval of a high-risk action that evaluate_policy answered with require_approval: its status (pending, approved, denied, ' +
        'expired), the action, resource and agent, its approvers, reasons and expiry. An agent polls it until ' +
        'decided, then evaluates again with approval_id. Viewers read any approval; an ingest key only those it asked for. ' +
        'Same as GET /api/v1/approvals/{id}.',
      access: 'viewer_or_requester',
      inputSchema: Type.Object({ approval_id: { ...Uuid, description: 'the approval id evaluate_policy returned' } }, { additionalProperties: false }),
      outputSchema: ApprovalSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
      call: (input, context) => deps.approvals.get(context.principal, input.approval_id),
    }),
  ];
}
