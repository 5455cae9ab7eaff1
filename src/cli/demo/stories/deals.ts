/**
 * HubSpot deals (creation + amount) → Salesforce opportunities won (SOAP Outbound Messages), amounts agreed. Planted:
 * one opportunity whose amount disagrees with its HubSpot deal (field_drift).
 */
import { SALESFORCE_ACTIONS, SALESFORCE_ORG_ID } from '../organisation.js';
import { stableId } from '../prng.js';
import type { PlannedDelivery } from '../scenario.types.js';
import { CUSTOMERS, HOUR, iso, type PlanContext, type StoryPlan } from './context.js';

const DEAL_NAMES = ['office fit-out', 'annual licence', 'warehouse expansion', 'support renewal', 'pilot project'] as const;

export function planDeals(context: PlanContext): StoryPlan<'driftingDeal'> {
  const { seed, run, days, now, random, numericOffset, messageId, timeIn } = context;
  const deliveries: PlannedDelivery[] = [];
  const anomalies: StoryPlan<'driftingDeal'>['anomalies'] = { driftingDeal: null };

  let dealNumber = 0;
  let hubspotEventId = 3617290000 + numericOffset;
  let salesforceCounter = 0;
  const salesforceId = (prefix: string) => `${prefix}${stableId(seed, run, `sf:${salesforceCounter++}`, 8).toUpperCase()}AAV`;
  for (let day = 0; day < days; day++) {
    const count = random.int(2, 4);
    for (let index = 0; index < count; index++) {
      const objectId = 18004520000 + numericOffset + dealNumber++;
      const created = timeIn(day);
      const amount = random.int(8, 120) * 500;
      const [customer] = random.pick(CUSTOMERS);
      const name = `${customer.split(' ')[0]} ${random.pick(DEAL_NAMES)}`;
      deliveries.push({
        kind: 'hubspot',
        body: JSON.stringify([
          { eventId: hubspotEventId++, subscriptionId: 2411007, portalId: 62515, appId: 1160452, occurredAt: created, subscriptionType: 'deal.creation', attemptNumber: 0, objectId, changeFlag: 'NEW', changeSource: 'CRM_UI', sourceId: 'userId:4812345' },
          { eventId: hubspotEventId++, subscriptionId: 2411012, portalId: 62515, appId: 1160452, occurredAt: created + 450, subscriptionType: 'deal.propertyChange', attemptNumber: 0, objectId, propertyName: 'amount', propertyValue: String(amount), changeSource: 'CRM_UI', sourceId: 'userId:4812345' },
        ]),
        messageId: messageId('hubspot'),
        events: 2,
        phase: 'main',
        expect: 'new',
        at: created,
      });
      const won = created + random.int(2, 30) * HOUR;
      if (won < now && random.chance(0.6)) {
        let salesforceAmount = amount;
        if (anomalies.driftingDeal === null) {
          // Someone applied a discount in Salesforce only: the systems now disagree on the deal's value.
          anomalies.driftingDeal = String(objectId);
          salesforceAmount = amount - 1500;
        }
        const xml = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${SALESFORCE_ORG_ID}</OrganizationId>
   <ActionId>${SALESFORCE_ACTIONS.opportunityWon}</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/62.0/00D5e000000DEMO</EnterpriseUrl>
   <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/62.0/00D5e000000DEMO</PartnerUrl>
   <Notification>
    <Id>${salesforceId('04l5e0000')}</Id>
    <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>${salesforceId('0065e0000')}</sf:Id>
     <sf:AccountId>${salesforceId('0015e0000')}</sf:AccountId>
     <sf:Amount>${salesforceAmount.toFixed(1)}</sf:Amount>
     <sf:CloseDate>${iso(won).slice(0, 10)}</sf:CloseDate>
     <sf:HubSpot_Deal_Id__c>${objectId}</sf:HubSpot_Deal_Id__c>
     <sf:IsWon>true</sf:IsWon>
     <sf:LastModifiedDate>${iso(won)}</sf:LastModifiedDate>
     <sf:Name>${name.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</sf:Name>
     <sf:StageName>Closed Won</sf:StageName>
    </sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>
`;
        deliveries.push({ kind: 'salesforce', body: xml, messageId: messageId('salesforce'), events: 1, phase: 'main', expect: 'new', at: won });
      }
    }
  }

  return { deliveries, anomalies };
}
