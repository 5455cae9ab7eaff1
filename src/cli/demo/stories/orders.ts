/**
 * Orders: Zapier (Shopify) created → fulfilled, mirrored into Oracle, invoices paid through Make. Planted: orders
 * never fulfilled (missing_record), one fulfilled late (its gap closes by itself), one exact Zapier retry (stored
 * once) and one replay with a different total (duplicate).
 */
import { stableUuid } from '../prng.js';
import type { PlannedDelivery } from '../scenario.types.js';
import { CUSTOMERS, HOUR, MINUTE, iso, type PlanContext, type StoryPlan } from './context.js';

const SKUS = [
  ['CHAIR-ERG-02', 349.5],
  ['DESK-STAND-01', 201],
  ['LAMP-LED-07', 59.9],
  ['MONITOR-ARM-03', 129],
  ['CABINET-04', 410],
] as const;

export function planOrders(context: PlanContext): StoryPlan<'missingOrders' | 'lateOrder' | 'conflictingOrder' | 'retriedOrder'> {
  const { seed, run, days, now, agentIds, random, suffix, numericOffset, messageId, timeIn } = context;
  const deliveries: PlannedDelivery[] = [];
  const anomalies: StoryPlan<'missingOrders' | 'lateOrder' | 'conflictingOrder' | 'retriedOrder'>['anomalies'] = { missingOrders: [], lateOrder: null, conflictingOrder: null, retriedOrder: null };

  let orderNumber = 10040;
  let headerId = 300000100000000 + numericOffset;
  for (let day = 0; day < days; day++) {
    const count = random.int(6, 9);
    for (let index = 0; index < count; index++) {
      const orderId = `ORD-${orderNumber++}${suffix}`;
      const created = timeIn(day);
      const [customer, email] = random.pick(CUSTOMERS);
      const lines = Array.from({ length: random.int(1, 3) }, () => {
        const [sku, price] = random.pick(SKUS);
        return { sku, quantity: random.int(1, 4), unit_price: price };
      });
      const total = Math.round(lines.reduce((sum, line) => sum + line.quantity * line.unit_price, 0) * 100) / 100;
      const fulfilBy = created + 4 * HOUR;
      const order = (type: string, sequence: number, at: number, status: string, extra: Record<string, unknown> = {}) =>
        JSON.stringify({
          type,
          timestamp: iso(at),
          data: {
            object: 'order',
            id: orderId,
            sequence,
            status,
            customer,
            customer_email: email,
            currency: 'EUR',
            total,
            lines,
            fulfil_by: iso(fulfilBy),
            zap: { id: '241873650', step: 'Shopify: New Order → Webhooks by Zapier' },
            ...extra,
          },
          agent_id: agentIds.orderSync,
          correlation_key: orderId,
        });
      const createdId = messageId(`order-created:${orderId}`);
      const createdBody = order('order.created', 1, created, 'created');
      deliveries.push({ kind: 'zapier', body: createdBody, messageId: createdId, events: 1, phase: 'main', expect: 'new', at: created });

      // Oracle gets the sales order a minute or two later (the Zap's second step).
      const oracleAt = created + random.int(1, 3) * MINUTE;
      deliveries.push({
        kind: 'oracle_erp',
        body: JSON.stringify({
          eventId: stableUuid(seed, run, `oracle:${orderId}`),
          eventType: 'salesOrder.created',
          eventTime: iso(oracleAt),
          businessObject: 'salesOrder',
          source: 'Oracle Fusion Cloud Order Management — Sales Order Notification via Oracle Integration',
          data: {
            HeaderId: headerId++,
            OrderNumber: String(520000 + orderNumber),
            SourceTransactionNumber: orderId,
            SourceTransactionSystem: 'SHOPIFY',
            BusinessUnitName: 'Vision Operations',
            BuyingPartyName: customer,
            TransactionalCurrencyCode: 'EUR',
            StatusCode: 'OPEN',
            TotalAmount: total,
          },
        }),
        messageId: messageId('oracle'),
        events: 1,
        phase: 'main',
        expect: 'new',
        at: oracleAt,
      });

      // The first order that is long past its deadline is fulfilled late (after its gap opens); a few never are.
      const pastDeadline = fulfilBy < now - 10 * MINUTE;
      let fate: 'fulfilled' | 'missing' | 'late' = 'fulfilled';
      if (pastDeadline && anomalies.lateOrder === null && day === 0) fate = 'late';
      else if (pastDeadline && random.chance(0.07)) fate = 'missing';
      const fulfilled = created + random.int(40, 200) * MINUTE;
      if (fate === 'late') {
        anomalies.lateOrder = orderId;
        deliveries.push({
          kind: 'zapier',
          body: order('order.fulfilled', 2, now - MINUTE, 'fulfilled', { carrier: 'DHL', late: true }),
          messageId: messageId(`order-fulfilled:${orderId}`),
          events: 1,
          phase: 'late',
          expect: 'new',
          at: now,
          closes: { type: 'missing_record', entity: orderId },
        });
      } else if (fate === 'missing') {
        anomalies.missingOrders.push(orderId);
      } else if (fulfilled < now) {
        deliveries.push({
          kind: 'zapier',
          body: order('order.fulfilled', 2, fulfilled, 'fulfilled', { carrier: random.pick(['DHL', 'UPS', 'DPD']) }),
          messageId: messageId(`order-fulfilled:${orderId}`),
          events: 1,
          phase: 'main',
          expect: 'new',
          at: fulfilled,
        });
        const paid = fulfilled + random.int(30, 300) * MINUTE;
        if (paid < now && random.chance(0.6)) {
          deliveries.push({
            kind: 'make',
            body: JSON.stringify({
              type: 'invoice.paid',
              timestamp: iso(paid),
              data: { object: 'invoice', id: `INV-${orderId}`, order_id: orderId, amount: total, currency: 'EUR', scenario: { id: 4410293, name: 'Stripe paid → ERP + ORCA' } },
              agent_id: agentIds.invoiceSync,
              correlation_key: orderId,
            }),
            messageId: messageId('invoice'),
            events: 1,
            phase: 'main',
            expect: 'new',
            at: paid,
          });
        }
      }
      // (an order created in the last few hours whose fulfilment is still ahead is simply in flight)

      // Zapier retries: one exact repeat (stored once), and one replay with a different total (order duplication).
      if (anomalies.retriedOrder === null && day === 0 && index === 1) {
        anomalies.retriedOrder = orderId;
        deliveries.push({ kind: 'zapier', body: createdBody, messageId: createdId, events: 1, phase: 'main', expect: 'duplicate', at: created + 2 * MINUTE });
      }
      if (anomalies.conflictingOrder === null && day === Math.min(1, days - 1) && index === 2) {
        anomalies.conflictingOrder = orderId;
        const changed = JSON.parse(createdBody) as { data: { total: number } };
        changed.data.total = Math.round(changed.data.total * 1.1 * 100) / 100;
        deliveries.push({ kind: 'zapier', body: JSON.stringify(changed), messageId: createdId, events: 1, phase: 'main', expect: 'conflict', at: created + 7 * MINUTE });
      }
    }
  }

  return { deliveries, anomalies };
}
