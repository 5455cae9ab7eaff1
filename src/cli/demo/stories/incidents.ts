/**
 * ServiceNow incidents: created → resolved → closed. Planted: one incident whose "resolved" is delivered before its
 * "created" (out_of_order).
 */
import { stableId } from '../prng.js';
import type { PlannedDelivery } from '../scenario.types.js';
import { HOUR, MINUTE, iso, type PlanContext, type StoryPlan } from './context.js';

const INCIDENTS = [
  'ERP order sync failing for EU warehouse',
  'Checkout latency above 2 s',
  'SSO login loop for contractors',
  'Nightly warehouse load failed',
  'Webhook backlog on the CRM connector',
] as const;

/** ServiceNow's sys_updated_on: "YYYY-MM-DD HH:MM:SS" in UTC. */
function glideTime(ms: number): string {
  return iso(ms).slice(0, 19).replace('T', ' ');
}

export function planServiceNowIncidents(context: PlanContext): StoryPlan<'outOfOrderIncident'> {
  const { seed, run, days, now, random, suffix, messageId, timeIn } = context;
  const deliveries: PlannedDelivery[] = [];
  const anomalies: StoryPlan<'outOfOrderIncident'>['anomalies'] = { outOfOrderIncident: null };

  let incidentNumber = 10020;
  for (let day = 0; day < days; day++) {
    const count = random.int(2, 3);
    for (let index = 0; index < count; index++) {
      const number = `INC00${incidentNumber++}${suffix}`;
      const sysId = stableId(seed, run, `incident:${number}`, 32);
      const created = timeIn(day);
      const resolved = created + random.int(60, 360) * MINUTE;
      const closed = resolved + HOUR;
      const shortDescription = random.pick(INCIDENTS);
      const record = (event: string, at: number, modCount: number, state: string) =>
        JSON.stringify({
          event,
          operation: modCount === 0 ? 'insert' : 'update',
          sys_class_name: 'incident',
          sys_id: sysId,
          number,
          short_description: shortDescription,
          state,
          impact: '2',
          urgency: String(random.int(1, 3)),
          category: 'software',
          opened_at: glideTime(created),
          sys_created_on: glideTime(created),
          sys_updated_on: glideTime(at),
          sys_mod_count: String(modCount),
          instance: 'acme.service-now.com',
        });
      const reorder = anomalies.outOfOrderIncident === null && day === days - 1 && resolved < now;
      const createdDelivery: PlannedDelivery = { kind: 'servicenow', body: record('incident.created', created, 0, '1'), messageId: messageId('snow'), events: 1, phase: 'main', expect: 'new', at: created };
      if (resolved >= now) {
        deliveries.push(createdDelivery);
        continue;
      }
      const resolvedDelivery: PlannedDelivery = { kind: 'servicenow', body: record('incident.resolved', resolved, 4, '6'), messageId: messageId('snow'), events: 1, phase: 'main', expect: 'new', at: resolved };
      if (reorder) {
        // The connector's retry queue delivered "resolved" first: it arrives before "created" (and is never closed,
        // so the out_of_order gap stays open for the demo).
        anomalies.outOfOrderIncident = sysId;
        deliveries.push({ ...resolvedDelivery, at: created }, { ...createdDelivery, at: created + 1 });
        continue;
      }
      deliveries.push(createdDelivery, resolvedDelivery);
      if (closed < now) {
        deliveries.push({ kind: 'servicenow', body: record('incident.closed', closed, 5, '7'), messageId: messageId('snow'), events: 1, phase: 'main', expect: 'new', at: closed });
      }
    }
  }

  return { deliveries, anomalies };
}
