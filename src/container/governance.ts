/** Who may do what, and to which agents: keys, console sessions, the agent registry, approvals and the policy. */
import { createAgentsModule } from '../modules/agents/index.js';
import { createApprovalsModule } from '../modules/approvals/index.js';
import { createKeysModule } from '../modules/keys/index.js';
import { createPoliciesModule } from '../modules/policies/index.js';
import { createSessionsModule } from '../modules/sessions/index.js';
import type { BuiltModules, SharedDeps, Wiring } from './wiring.js';

export function wireGovernance(w: Wiring, m: BuiltModules, { base, callingOut }: SharedDeps): Pick<BuiltModules, 'keys' | 'sessions' | 'agents' | 'approvals' | 'policies'> {
  const { config, db, metrics, logger, clock, jobs, cacheMetrics, invalidation } = w;
  const { audit } = base;
  const keys = createKeysModule({ db, audit, clock, logger });
  const sessions = createSessionsModule({
    db,
    audit,
    authenticateKey: keys.service.authenticate,
    clock,
    logger,
    registry: metrics.registry,
    jobs,
    ttlMs: config.consoleSessionTtlMs,
  });
  const agents = createAgentsModule({ db, metrics, logger, audit, cacheMetrics, invalidation });
  const approvals = createApprovalsModule({
    ...base,
    ...callingOut,
    keys: keys.service,
    settings: {
      enabled: config.approvalsEnabled,
      // A long-poll must answer before HANDLER_TIMEOUT cuts it off with a 503.
      maxWaitMs: Math.max(1000, Math.min(config.approvalsMaxWaitMs, config.handlerTimeoutMs - 5000)),
      expiryIntervalMs: config.approvalsExpiryIntervalMs,
      callbackRetries: config.approvalsCallbackRetries,
      callbackRetryDelaySeconds: Math.round(config.approvalsCallbackRetryDelayMs / 1000),
      slack: { signingSecret: config.approvalsSlackSigningSecret, approvers: config.approvalsSlackApprovers },
    },
    onChange: (correlationId) => m.alerts.requestEvaluation('approvals', correlationId ?? undefined),
  });
  const policies = createPoliciesModule({
    ...base,
    agents: agents.service,
    cacheMetrics,
    invalidation,
    allowSampleRate: config.policyAllowSampleRate,
    onViolationsRecorded: (correlationId) => m.alerts.requestEvaluation('violations', correlationId ?? undefined),
    outbound: w.outbound,
    approvals: approvals.gate,
  });
  return { keys, sessions, agents, approvals, policies };
}
