/**
 * Tickets: the n8n helpdesk, opened → resolved before the SLA deadline carried in the payload. Planted: tickets
 * never resolved (missing_record) and one resolved after its gap opened (it closes by itself).
 */
import type { PlannedDelivery } from '../scenario.types.js';
import { CUSTOMERS, HOUR, MINUTE, iso, type PlanContext, type StoryPlan } from './context.js';

const TICKET_SUBJECTS = [
  'Invoice PDF missing VAT number',
  'Delivery arrived damaged',
  'Cannot reset password',
  'Wrong item in order',
  'Request for bulk discount',
  'Tracking link not working',
] as const;

export function planTickets(context: PlanContext): StoryPlan<'missingTickets' | 'lateTicket'> {
  const { days, now, agentIds, random, suffix, messageId, timeIn } = context;
  const deliveries: PlannedDelivery[] = [];
  const anomalies: StoryPlan<'missingTickets' | 'lateTicket'>['anomalies'] = { missingTickets: [], lateTicket: null };

  let ticketNumber = 5530;
  for (let day = 0; day < days; day++) {
    const count = random.int(5, 8);
    for (let index = 0; index < count; index++) {
      const ticketId = `TCK-${ticketNumber++}${suffix}`;
      const opened = timeIn(day);
      const priority = random.chance(0.35) ? 'high' : 'normal';
      const slaDue = opened + (priority === 'high' ? 4 : 8) * HOUR;
      const subject = random.pick(TICKET_SUBJECTS);
      const requester = random.pick(CUSTOMERS)[1];
      const ticket = (type: string, sequence: number, at: number, status: string, extra: Record<string, unknown> = {}) =>
        JSON.stringify({
          type,
          timestamp: iso(at),
          data: {
            object: 'ticket',
            id: ticketId,
            sequence,
            status,
            priority,
            subject,
            requester,
            sla_due_at: iso(slaDue),
            workflow: { id: 'wf_7Hq2LmN4', name: 'Helpdesk → ORCA', execution_id: String(88000 + ticketNumber) },
            ...extra,
          },
          agent_id: agentIds.helpdeskRouter,
          correlation_key: ticketId,
        });
      deliveries.push({ kind: 'n8n', body: ticket('ticket.opened', 1, opened, 'open'), messageId: messageId('ticket-opened'), events: 1, phase: 'main', expect: 'new', at: opened });
      const pastDeadline = slaDue < now - 10 * MINUTE;
      let fate: 'resolved' | 'missing' | 'late' = 'resolved';
      if (pastDeadline && anomalies.lateTicket === null && day === Math.min(1, days - 1)) fate = 'late';
      else if (pastDeadline && random.chance(0.08)) fate = 'missing';
      const resolved = opened + random.int(30, 240) * MINUTE;
      if (fate === 'late') {
        anomalies.lateTicket = ticketId;
        deliveries.push({
          kind: 'n8n',
          body: ticket('ticket.resolved', 2, now - MINUTE, 'resolved', { resolution: 'Answered after the SLA' }),
          messageId: messageId('ticket-resolved'),
          events: 1,
          phase: 'late',
          expect: 'new',
          at: now,
          closes: { type: 'missing_record', entity: ticketId },
        });
      } else if (fate === 'missing') {
        anomalies.missingTickets.push(ticketId);
      } else if (resolved < now) {
        deliveries.push({
          kind: 'n8n',
          body: ticket('ticket.resolved', 2, resolved, 'resolved', { resolution: 'Answered' }),
          messageId: messageId('ticket-resolved'),
          events: 1,
          phase: 'main',
          expect: 'new',
          at: resolved,
        });
      }
    }
  }

  return { deliveries, anomalies };
}
