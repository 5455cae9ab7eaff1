/**
 * Dynamics 365: accounts created and opportunities won, as Dataverse RemoteExecutionContext bodies. All within the
 * last day, Dataverse's replay window. All healthy.
 */
import { stableUuid } from '../prng.js';
import type { PlannedDelivery } from '../scenario.types.js';
import { CUSTOMERS, MINUTE, type PlanContext } from './context.js';

export function planDynamics(context: PlanContext): PlannedDelivery[] {
  const { seed, run, now, random, messageId } = context;
  const deliveries: PlannedDelivery[] = [];

  const dynamicsCount = random.int(3, 5);
  for (let index = 0; index < dynamicsCount; index++) {
    const at = now - random.int(60, 22 * 60) * MINUTE;
    const isWin = index % 2 === 1;
    const entityId = stableUuid(seed, run, `dynamics:${index}`);
    const [customer] = random.pick(CUSTOMERS);
    const value = random.int(10, 90) * 1000;
    const target = isWin
      ? {
          key: 'OpportunityClose',
          value: {
            Attributes: [
              { key: 'subject', value: `Won: ${customer}` },
              { key: 'actualrevenue', value: { __type: 'Money:http://schemas.microsoft.com/xrm/2011/Contracts', Value: value } },
              { key: 'actualend', value: `/Date(${at})/` },
            ],
            LogicalName: 'opportunityclose',
          },
        }
      : {
          key: 'Target',
          value: {
            Attributes: [
              { key: 'name', value: customer },
              { key: 'accountid', value: entityId },
              { key: 'address1_country', value: random.pick(['Germany', 'Spain', 'United Kingdom', 'France']) },
            ],
            Id: entityId,
            LogicalName: 'account',
          },
        };
    deliveries.push({
      kind: 'dynamics365',
      body: JSON.stringify({
        BusinessUnitId: 'e8c2a4b0-1f3d-ef11-8409-000d3a6b5c21',
        CorrelationId: stableUuid(seed, run, `dynamics-correlation:${index}`),
        Depth: 1,
        InitiatingUserId: 'a1b2c3d4-1f3d-ef11-8409-000d3a6b5c21',
        InputParameters: [target],
        IsExecutingOffline: false,
        IsInTransaction: false,
        IsOfflinePlayback: false,
        IsolationMode: 1,
        MessageName: isWin ? 'Win' : 'Create',
        Mode: 1,
        OperationCreatedOn: `/Date(${at}+0000)/`,
        OperationId: stableUuid(seed, run, `dynamics-operation:${index}`),
        OrganizationId: 'd3b1e5f7-2a4c-4e6b-8d0f-1a3c5e7b9d2f',
        OrganizationName: 'orgacmedemo',
        OutputParameters: [],
        PostEntityImages: [],
        PreEntityImages: [],
        PrimaryEntityId: entityId,
        PrimaryEntityName: isWin ? 'opportunity' : 'account',
        RequestId: stableUuid(seed, run, `dynamics-request:${index}`),
        SecondaryEntityName: 'none',
        SharedVariables: [],
        Stage: 40,
        UserId: 'a1b2c3d4-1f3d-ef11-8409-000d3a6b5c21',
      }),
      messageId: messageId('dynamics'),
      events: 1,
      phase: 'main',
      expect: 'new',
      at,
    });
  }

  return deliveries;
}
