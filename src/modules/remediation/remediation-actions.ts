/**
 * The six remediation actions (docs/self-healing.md "Actions"), each carried out once per attempt. An action never
 * throws for a failure it can name: it answers `retry` (the target may answer later), `final` (asking again would
 * get the same answer) or `nothing_to_do`, with what it did in `detail`. A throw means ORCA itself failed (the
 * database): the job queue retries the attempt.
 */
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { newId } from '../../platform/ids.js';
import { OutboundError, isTransientStatus, type OutboundClient } from '../../platform/outbound/index.js';
import { scrubString } from '../../platform/telemetry/redact.js';
import type { AgentService } from '../agents/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { NotificationSink, OpenedReceiver } from '../receivers/index.js';
import type { AttemptResult } from './remediation-state.js';
import type { GapRecord, RemediationRow } from './remediation.repository.js';
import { resyncRequestBody } from './resync-request.js';

/** How much of a refusing endpoint's answer is kept in the record: enough to read why. */
const ANSWER_EXCERPT = 300;

export interface ActionDeps {
  outbound: Pick<OutboundClient, 'request'>;
  /** A receiver by name with its sealed fields opened (URL, signing secret, token, headers); undefined when none. */
  openReceiver(name: string): Promise<OpenedReceiver | undefined>;
  /** Sends ORCA's failed and dead-lettered deliveries about this contract or agent again; returns their ids. */
  retryDeliveries(actor: Actor, concerning: { contract: string | null; agentId: string | null; receiver: string | null }): Promise<string[]>;
  sink: Pick<NotificationSink, 'enqueue'>;
  incidents: Pick<IncidentService, 'create' | 'list'>;
  agents: Pick<AgentService, 'get' | 'transition'>;
  /** Standard Webhooks headers over the exact body (the receivers' signer). */
  signWebhook(secret: string, id: string, at: Date, body: string): Record<string, string>;
  now(): Date;
  /** ORCA's own API, for the links in requests and notifications. */
  baseUrl: string;
}

export interface ActionInput {
  remediation: RemediationRow;
  attempt: number;
  gap: GapRecord;
  actor: Actor & { correlationId: string };
}

export interface ActionOutcome {
  result: AttemptResult;
  detail: Record<string, unknown>;
}

const statusUrl = (deps: ActionDeps, id: string) => `${deps.baseUrl.replace(/\/$/, '')}/api/v1/remediations/${id}`;

/** The labels a remediation is known by: in notifications, and for silences (which apply to remediation too). */
export function remediationLabels(remediation: Pick<RemediationRow, 'action' | 'gap_type' | 'contract' | 'rule' | 'agent_id'>, severity: string): Record<string, string> {
  return {
    alertname: 'sync-gap-remediation',
    remediation_action: remediation.action,
    gap_type: remediation.gap_type,
    severity,
    rule: remediation.rule,
    ...(remediation.contract ? { contract: remediation.contract } : {}),
    ...(remediation.agent_id ? { agent_id: remediation.agent_id } : {}),
  };
}

async function resyncRequest(deps: ActionDeps, input: ActionInput): Promise<ActionOutcome> {
  const { remediation, gap, attempt } = input;
  const receiver = await deps.openReceiver(remediation.receiver!);
  if (!receiver) return { result: { kind: 'final', error: `no receiver named "${remediation.receiver}"` }, detail: {} };
  if (receiver.kind !== 'webhook') return { result: { kind: 'final', error: `receiver "${receiver.name}" is a ${receiver.kind} receiver; a resync request needs a webhook receiver` }, detail: {} };
  if (receiver.secret === null) return { result: { kind: 'final', error: `receiver "${receiver.name}" has no signing secret; resync requests are always signed` }, detail: {} };
  const payload = resyncRequestBody({
    remediationId: remediation.id,
    attempt,
    maxAttempts: remediation.max_attempts,
    gap,
    statusUrl: statusUrl(deps, remediation.id),
    correlationId: input.actor.correlationId,
  });
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { ...receiver.headers, 'content-type': 'application/json', ...deps.signWebhook(receiver.secret, payload.id, deps.now(), body) };
  if (receiver.token !== null) headers.authorization = `Bearer ${receiver.token}`;
  const detail = { receiver_id: receiver.id, webhook_id: payload.id };
  try {
    // The outbound client retries (OUTBOUND_RETRIES) within the attempt, behind this receiver's remediation breaker.
    const answer = await deps.outbound.request({ kind: 'remediation', id: receiver.id }, { url: receiver.url, method: 'POST', headers, body, correlationId: input.actor.correlationId });
    const answered = { ...detail, http_status: answer.status, tries: answer.attempts };
    if (answer.status >= 200 && answer.status < 300) return { result: { kind: 'done' }, detail: answered };
    const excerpt = scrubString(answer.body.trim().slice(0, ANSWER_EXCERPT));
    const error = `the endpoint answered HTTP ${answer.status}${excerpt ? `: ${excerpt}` : ''}`;
    return { result: isTransientStatus(answer.status) ? { kind: 'retry', error } : { kind: 'final', error }, detail: answered };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    const message = `${error.reason}: ${scrubString(error.message)}`;
    const final = error.reason === 'refused' || error.reason === 'too_large';
    return { result: final ? { kind: 'final', error: message } : { kind: 'retry', error: message }, detail: { ...detail, outbound_failure: error.reason, tries: error.attempts } };
  }
}

async function retryDelivery(deps: ActionDeps, input: ActionInput): Promise<ActionOutcome> {
  const { remediation } = input;
  const retried = await deps.retryDeliveries(input.actor, { contract: remediation.contract, agentId: remediation.agent_id, receiver: remediation.receiver });
  if (retried.length === 0) {
    return { result: { kind: 'nothing_to_do', reason: 'no failed or dead-lettered delivery concerns this contract or agent' }, detail: { retried_deliveries: [] } };
  }
  return { result: { kind: 'done' }, detail: { retried_deliveries: retried } };
}

async function notify(deps: ActionDeps, input: ActionInput): Promise<ActionOutcome> {
  const { remediation, gap, attempt } = input;
  const labels = remediationLabels(remediation, gap.severity);
  const entity = gap.entity_id === null ? '' : ` for ${gap.entity_type ?? 'entity'} ${gap.entity_id}`;
  const notificationId = newId();
  try {
    await deps.sink.enqueue({
      id: notificationId,
      kind: 'alert',
      receiver: remediation.receiver!,
      groupKey: `remediation:${remediation.id}`,
      groupLabels: { alertname: labels.alertname!, gap_type: gap.type },
      status: 'firing',
      alerts: [
        {
          fingerprint: `remediation:${remediation.id}`,
          status: 'firing',
          labels,
          annotations: {
            summary: `Open ${gap.type} gap on ${gap.contract ?? 'no contract'} / ${gap.rule}${entity}`,
            description:
              `Detected at ${gap.detected_at.toISOString()}${gap.due_at ? `, due at ${gap.due_at.toISOString()}` : ''}. ` +
              `Sent by the contract's remediation policy (attempt ${attempt} of ${remediation.max_attempts}).`,
          },
          startsAt: gap.detected_at.toISOString(),
          endsAt: null,
          generatorURL: statusUrl(deps, remediation.id),
        },
      ],
      correlationId: input.actor.correlationId,
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return { result: { kind: 'final', error: `no receiver named "${remediation.receiver}"` }, detail: {} };
    throw error;
  }
  return { result: { kind: 'done' }, detail: { notification_id: notificationId } };
}

async function openIncident(deps: ActionDeps, input: ActionInput): Promise<ActionOutcome> {
  const { gap } = input;
  // Once per gap: a second attempt (or a second policy step) finds the incident the first opened.
  const open = await deps.incidents.list({ gap_id: gap.id, status: 'open', limit: 1 });
  if (open.items[0]) return { result: { kind: 'done' }, detail: { incident_id: open.items[0].id, already_open: true } };
  const entity = gap.entity_id === null ? '' : ` for ${gap.entity_type ?? 'entity'} ${gap.entity_id}`;
  const incident = await deps.incidents.create(input.actor, {
    kind: `sync_${gap.type}`,
    severity: gap.severity as 'low' | 'medium' | 'high' | 'critical',
    title: `${gap.type} gap on ${gap.contract ?? 'no contract'} / ${gap.rule}${entity}`.slice(0, 500),
    ...(gap.agent_id ? { agent_id: gap.agent_id } : {}),
    gap_id: gap.id,
  });
  return { result: { kind: 'done' }, detail: { incident_id: incident.id } };
}

async function changeAgent(deps: ActionDeps, input: ActionInput, action: 'quarantine' | 'suspend'): Promise<ActionOutcome> {
  const { gap, remediation } = input;
  const target = action === 'quarantine' ? 'quarantined' : 'suspended';
  if (!remediation.agent_id) return { result: { kind: 'final', error: 'the gap has no owner agent' }, detail: {} };
  let current: Awaited<ReturnType<ActionDeps['agents']['get']>>;
  try {
    current = await deps.agents.get(remediation.agent_id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return { result: { kind: 'final', error: `owner agent ${remediation.agent_id} does not exist` }, detail: {} };
    throw error;
  }
  if (current.status === target) return { result: { kind: 'done' }, detail: { agent_id: current.id, from_status: target, to_status: target, already: true } };
  const reason = `self-healing: ${gap.type} gap ${gap.id} on ${gap.contract ?? 'no contract'} / ${gap.rule} (remediation ${remediation.id})`;
  try {
    await deps.agents.transition(input.actor, remediation.agent_id, action, reason);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'conflict' || error.code === 'not_found')) return { result: { kind: 'final', error: error.message }, detail: { agent_id: remediation.agent_id } };
    throw error;
  }
  return { result: { kind: 'done' }, detail: { agent_id: remediation.agent_id, from_status: current.status, to_status: target } };
}

export function runAction(deps: ActionDeps, input: ActionInput): Promise<ActionOutcome> {
  switch (input.remediation.action) {
    case 'resync_request':
      return resyncRequest(deps, input);
    case 'retry_delivery':
      return retryDelivery(deps, input);
    case 'notify':
      return notify(deps, input);
    case 'open_incident':
      return openIncident(deps, input);
    case 'quarantine_agent':
      return changeAgent(deps, input, 'quarantine');
    case 'suspend_agent':
      return changeAgent(deps, input, 'suspend');
  }
}
