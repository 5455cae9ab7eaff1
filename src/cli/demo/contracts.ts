/** The sync contracts of the demo organisation: what "correct and on time" means for the data its systems move. */
import type { AgentKey } from './organisation.js';

/** Contract names the demo owns in the contracts document (a second run replaces these and keeps the others). */
export const DEMO_CONTRACT_PREFIX = 'demo-';

/**
 * The contracts document the demo activates (docs/sync.md). `owner` maps contract names to agent ids. The
 * warehouse-shipments stream is declared on purpose without any sender, to show a stale stream a minute later.
 */
export function demoContracts(owner: Record<AgentKey, string>): Array<Record<string, unknown>> {
  return [
    {
      name: 'demo-order-to-cash',
      owner: owner.orderSync,
      description: 'Every Shopify order reaches Oracle and is fulfilled before its promised time; invoices get paid',
      resolve_within: '2h',
      costs: {
        missing_record: { risk_kind: 'order_unfulfilled', cost_usd: 1500 },
        duplicate: { risk_kind: 'order_duplication', cost_usd: 1500 },
        stale: { risk_kind: 'warehouse_blind', cost_usd: 400 },
      },
      streams: [
        { name: 'zapier-orders', source: 'zapier', entity_type: 'order', freshness: '12h', unique_event_types: ['order.created'] },
        { name: 'oracle-sales-orders', source: 'oracle_erp', entity_type: 'salesOrder', freshness: '1d', check_sequence: false },
        { name: 'make-invoices', source: 'make', entity_type: 'invoice', freshness: '1d' },
        { name: 'warehouse-shipments', source: 'oracle_erp', entity_type: 'shipment', freshness: '1m', severity: { stale: 'high' } },
      ],
      follow_ups: [
        {
          name: 'order-fulfilled',
          when: { stream: 'zapier-orders', event_type: 'order.created' },
          then: { stream: 'zapier-orders', event_type: 'order.fulfilled' },
          deadline: '$.data.fulfil_by',
          severity: 'high',
        },
      ],
    },
    {
      name: 'demo-support',
      owner: owner.helpdeskRouter,
      description: 'Tickets are resolved before their SLA deadline; incidents follow created → resolved → closed',
      streams: [
        { name: 'n8n-tickets', source: 'n8n', entity_type: 'ticket', freshness: '12h' },
        { name: 'snow-incidents', source: 'servicenow', entity_type: 'incident', freshness: '1d', check_sequence: false },
      ],
      follow_ups: [
        {
          name: 'ticket-sla',
          when: { stream: 'n8n-tickets', event_type: 'ticket.opened' },
          then: { stream: 'n8n-tickets', event_type: 'ticket.resolved' },
          deadline: '$.data.sla_due_at',
          severity: 'critical',
          cost: { risk_kind: 'ticket_breach', cost_usd: 5000 },
        },
      ],
      lifecycles: [{ name: 'incident-lifecycle', stream: 'snow-incidents', order: ['incident.created', 'incident.resolved', 'incident.closed'] }],
    },
    {
      name: 'demo-revenue',
      owner: owner.crmSync,
      description: 'HubSpot deal amounts agree with the Salesforce opportunities they became',
      streams: [
        { name: 'hubspot-deals', source: 'hubspot', entity_type: 'deal', freshness: '1d' },
        { name: 'sf-opportunities', source: 'salesforce', entity_type: 'opportunity', freshness: '1d' },
        { name: 'dynamics-opportunities', source: 'dynamics365', entity_type: 'opportunity', freshness: '2d' },
      ],
      agreements: [
        {
          name: 'deal-amount',
          left: { stream: 'hubspot-deals', field: '$.propertyValue', key: 'entity_id', where: [{ path: '$.propertyName', equals: 'amount' }] },
          right: { stream: 'sf-opportunities', field: '$.sObject.Amount', key: '$.sObject.HubSpot_Deal_Id__c' },
          tolerance: 0.5,
          severity: 'high',
          cost: { risk_kind: 'revenue_mismatch', cost_usd: 800 },
        },
      ],
    },
    {
      name: 'demo-procurement',
      owner: owner.dwhPipeline,
      description: 'SAP purchase orders keep flowing to the warehouse load',
      streams: [{ name: 'sap-purchase-orders', source: 'sap', entity_type: 'PurchaseOrder', freshness: '1d' }],
    },
  ];
}
