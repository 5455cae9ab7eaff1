/**
 * The business data as signed native webhooks: each planned delivery is signed with its source's secret and sent with
 * the ingest key; ORCA's answers are tallied for the summary.
 */
import type { DemoClient } from '../client.js';
import type { PlannedDelivery } from '../scenario.js';
import { signDelivery, type DemoSourceKind } from '../signing.js';
import type { DemoSession } from './session.js';
import type { UsableSource } from './sources.js';

export interface WebhookTally {
  deliveries: { sent: number; failed: number };
  events: { planned: number; accepted: number; duplicates: number; conflicts: number };
  lateFollowUps: { sent: number; closedAfterGapOpened: number };
}

export interface WebhookSender {
  /** the planned deliveries that have a usable source, in plan order */
  deliverable: PlannedDelivery[];
  tally: WebhookTally;
  /** true when ORCA accepted the delivery */
  send(delivery: PlannedDelivery): Promise<boolean>;
  /** notes, once per source kind, why ORCA refused its webhooks */
  noteRefusals(): void;
}

export function createWebhookSender(session: DemoSession, sources: Map<DemoSourceKind, UsableSource>, planned: PlannedDelivery[]): WebhookSender {
  const deliverable = planned.filter((delivery) => sources.has(delivery.kind));
  const skippedKinds = new Set(planned.filter((delivery) => !sources.has(delivery.kind)).map((delivery) => delivery.kind));
  if (skippedKinds.size > 0) session.note(`no usable source for ${[...skippedKinds].join(', ')}: those webhooks were not sent`);
  const tally: WebhookTally = {
    deliveries: { sent: 0, failed: 0 },
    events: { planned: 0, accepted: 0, duplicates: 0, conflicts: 0 },
    lateFollowUps: { sent: 0, closedAfterGapOpened: 0 },
  };
  for (const delivery of deliverable) if (delivery.expect === 'new') tally.events.planned += delivery.events;
  const failuresByKind = new Map<string, string>();

  const send = async (delivery: PlannedDelivery): Promise<boolean> => {
    const source = sources.get(delivery.kind)!;
    const signed = signDelivery({
      kind: delivery.kind,
      secret: source.secret,
      path: source.path,
      body: delivery.body,
      now: new Date(),
      messageId: delivery.messageId,
      publicBaseUrl: session.baseUrl,
    });
    const answer = await session.pusher.request<{ accepted?: number; duplicates?: number; conflict?: boolean }>('POST', signed.path, {
      body: signed.body,
      headers: signed.headers,
    });
    if (answer.status === 200 || answer.status === 201) {
      tally.deliveries.sent++;
      if (typeof answer.body === 'object' && answer.body !== null) {
        tally.events.accepted += answer.body.accepted ?? 0;
        tally.events.duplicates += answer.body.duplicates ?? 0;
        if (answer.body.conflict) tally.events.conflicts++;
      } else if (delivery.expect === 'new') {
        // Salesforce is answered with the SOAP Ack, which carries no counts.
        tally.events.accepted += delivery.events;
      }
      return true;
    }
    tally.deliveries.failed++;
    if (!failuresByKind.has(delivery.kind)) failuresByKind.set(delivery.kind, `${answer.status} ${answer.problem ?? ''}`.trim());
    return false;
  };

  const noteRefusals = () => {
    for (const [kind, reason] of failuresByKind) session.note(`webhooks to the ${kind} source were refused (${reason})`);
  };

  return { deliverable, tally, send, noteRefusals };
}

/**
 * Late follow-ups: waits (up to `settleSeconds`) for the sweep to open their missing_record gaps, then delivers them,
 * so that the gaps close by themselves. Without active contracts there is nothing to wait for.
 */
export async function sendLateFollowUps(session: DemoSession, sender: WebhookSender, settleSeconds: number, contractsActive: boolean): Promise<void> {
  const late = sender.deliverable.filter((delivery) => delivery.phase === 'late');
  if (late.length === 0) return;
  let opened = new Set<string>();
  if (settleSeconds > 0 && contractsActive) {
    session.log(`waiting up to ${settleSeconds}s for the sweep to notice ${late.length} overdue follow-ups …`);
    opened = await waitForGaps(session.client, late.map((delivery) => delivery.closes!.entity), settleSeconds * 1000);
  }
  for (const delivery of late) {
    if (await sender.send(delivery)) {
      sender.tally.lateFollowUps.sent++;
      if (opened.has(delivery.closes!.entity)) sender.tally.lateFollowUps.closedAfterGapOpened++;
    }
  }
}

async function waitForGaps(client: DemoClient, entities: string[], timeoutMs: number): Promise<Set<string>> {
  const deadline = Date.now() + timeoutMs;
  const opened = new Set<string>();
  // One list request per poll (the newest open missing_record gaps), every 2 s: cheap on the key's rate limit.
  while (Date.now() < deadline) {
    const answer = await client.get<{ items: Array<{ entity_id: string | null }> }>('/api/v1/sync/gaps?type=missing_record&status=open&limit=200');
    if (answer.status === 200) for (const gap of answer.body.items) if (gap.entity_id && entities.includes(gap.entity_id)) opened.add(gap.entity_id);
    if (opened.size === entities.length) break;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return opened;
}

/**
 * 1 on a fresh ORCA; after that, one more than the run that wrote the newest demo order (its id ends in -R<N>, or
 * has no suffix for run 1). Keeps the data of successive runs apart without any state outside ORCA.
 */
export async function nextRunNumber(client: DemoClient, zapier: Pick<UsableSource, 'id' | 'reused'> | undefined): Promise<number> {
  if (!zapier?.reused) return 1;
  const newest = await client.get<{ items: Array<{ entity_id: string }> }>(`/api/v1/events?source_id=${zapier.id}&event_type=order.created&limit=1`);
  if (newest.status !== 200) return 1;
  const last = newest.body.items[0];
  if (!last) return 1;
  const match = /-R(\d+)$/.exec(last.entity_id);
  return match ? Number(match[1]) + 1 : 2;
}
