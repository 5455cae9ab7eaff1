/** SAP purchase orders, as CloudEvents from SAP Event Mesh. All healthy. */
import { stableId } from '../prng.js';
import type { PlannedDelivery } from '../scenario.types.js';
import { iso, type PlanContext } from './context.js';

export function planPurchaseOrders(context: PlanContext): PlannedDelivery[] {
  const { seed, run, days, random, numericOffset, messageId, timeIn } = context;
  const deliveries: PlannedDelivery[] = [];

  let purchaseOrder = 4500000120 + numericOffset;
  for (let day = 0; day < days; day++) {
    const count = random.int(2, 4);
    for (let index = 0; index < count; index++) {
      const at = timeIn(day);
      const key = String(purchaseOrder++);
      deliveries.push({
        kind: 'sap',
        body: JSON.stringify({
          specversion: '1.0',
          type: 'sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1',
          source: '/default/sap.s4.beh/S4H_100',
          subject: key,
          id: Buffer.from(stableId(seed, run, `sap:${key}`, 32), 'hex').toString('base64'),
          time: iso(at),
          datacontenttype: 'application/json',
          data: { PurchaseOrder: key },
        }),
        messageId: messageId('sap'),
        events: 1,
        phase: 'main',
        expect: 'new',
        at,
      });
    }
  }

  return deliveries;
}
