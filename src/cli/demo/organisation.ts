/**
 * The demo organisation: the agents and automations a mid-sized company runs, the business systems that send ORCA
 * their webhooks (the sync contracts over their data are in contracts.ts).
 */
import type { DemoSourceKind } from './signing.js';

/** Every demo agent carries this tag and an external id `orca-demo-<key>`, which is how a second run finds them. */
export const DEMO_TAG = 'orca-demo';
/** Salesforce organisation id of the demo org (allow-listed on the Salesforce source). */
export const SALESFORCE_ORG_ID = '00D5e000000DEMOEAA';
/** Salesforce Outbound Message action ids, mapped to event types on the source. */
export const SALESFORCE_ACTIONS = { opportunityWon: '04k5e000000DEMWAA2', leadConverted: '04k5e000000DEMLAA2' } as const;

export type AgentKey =
  | 'orderSync'
  | 'helpdeskRouter'
  | 'invoiceSync'
  | 'crmSync'
  | 'githubMcp'
  | 'warehouseMcp'
  | 'supportCopilot'
  | 'salesAssistant'
  | 'financeAgent'
  | 'dwhPipeline'
  | 'leadEnrichment'
  | 'shadowScraper';

export interface AgentDefinition {
  key: AgentKey;
  body: Record<string, unknown>;
  /** how often its runs succeed / fail / time out, and what a run costs (drives /runs) */
  runs: { perDay: [number, number]; success: number; timeout: number; llm: boolean; errorKinds: string[] };
}

function agent(key: AgentKey, body: Record<string, unknown>, runs: AgentDefinition['runs']): AgentDefinition {
  return { key, body: { ...body, external_id: `orca-demo-${key}`, tags: [DEMO_TAG, ...((body.tags as string[] | undefined) ?? [])] }, runs };
}

export const AGENTS: AgentDefinition[] = [
  agent(
    'orderSync',
    {
      name: 'Shopify → Oracle order sync',
      kind: 'workflow',
      source: 'zapier',
      owner: 'ecommerce-ops@acme.example',
      vendor: 'Zapier',
      description: 'Zap: new Shopify order → create the sales order in Oracle Fusion, notify the warehouse',
      classification: 'confidential',
      role: 'standard',
      targets: ['oracle_erp', 'shopify'],
      tags: ['team:ecommerce', 'tier:1'],
      config: { zap_id: '241873650', trigger: 'shopify.new_order' },
    },
    { perDay: [18, 26], success: 0.96, timeout: 0.02, llm: false, errorKinds: ['oracle_5xx', 'rate_limited'] },
  ),
  agent(
    'helpdeskRouter',
    {
      name: 'Helpdesk ticket router',
      kind: 'workflow',
      source: 'n8n',
      owner: 'support-team@acme.example',
      vendor: 'n8n',
      description: 'n8n workflow: routes new helpdesk tickets, tracks SLA deadlines, posts to ORCA',
      classification: 'internal',
      role: 'standard',
      targets: ['helpdesk', 'slack'],
      tags: ['team:support'],
      config: { workflow_id: 'wf_7Hq2LmN4' },
    },
    { perDay: [14, 20], success: 0.93, timeout: 0.03, llm: false, errorKinds: ['helpdesk_api_error'] },
  ),
  agent(
    'invoiceSync',
    {
      name: 'Stripe paid → ERP invoices',
      kind: 'workflow',
      source: 'make',
      owner: 'finance-ops@acme.example',
      vendor: 'Make',
      description: 'Make scenario: marks ERP invoices paid when Stripe confirms the payment',
      classification: 'confidential',
      role: 'standard',
      targets: ['oracle_erp', 'stripe'],
      tags: ['team:finance'],
      config: { scenario_id: 4410293 },
    },
    { perDay: [8, 12], success: 0.97, timeout: 0.01, llm: false, errorKinds: ['stripe_webhook_mismatch'] },
  ),
  agent(
    'crmSync',
    {
      name: 'HubSpot ↔ Salesforce deal sync',
      kind: 'workflow',
      source: 'zapier',
      owner: 'revenue-ops@acme.example',
      vendor: 'Zapier',
      description: 'Zap: keeps HubSpot deals and Salesforce opportunities (amount, stage) in step',
      classification: 'confidential',
      role: 'standard',
      targets: ['hubspot', 'salesforce'],
      tags: ['team:revenue'],
      config: { zap_id: '241873977' },
    },
    { perDay: [10, 16], success: 0.9, timeout: 0.04, llm: false, errorKinds: ['salesforce_lock', 'field_mapping_error'] },
  ),
  agent(
    'githubMcp',
    {
      name: 'GitHub MCP server',
      kind: 'mcp_server',
      source: 'mcp',
      owner: 'platform-team@acme.example',
      vendor: 'GitHub',
      version: '0.9.2',
      description: 'MCP server giving coding agents read access to repositories and issues',
      classification: 'internal',
      role: 'analyst',
      targets: ['github'],
      tags: ['team:platform'],
      tools: [
        { name: 'search_code', description: 'Search code across repositories' },
        { name: 'get_issue', description: 'Read an issue with its comments' },
        { name: 'create_pull_request', description: 'Open a pull request' },
      ],
    },
    { perDay: [20, 30], success: 0.98, timeout: 0.01, llm: false, errorKinds: ['github_rate_limited'] },
  ),
  agent(
    'warehouseMcp',
    {
      name: 'Warehouse SQL MCP server',
      kind: 'mcp_server',
      source: 'mcp',
      owner: 'data-eng@acme.example',
      vendor: 'internal',
      version: '1.4.0',
      description: 'Read-only SQL over the data warehouse for analysts and assistants',
      classification: 'restricted',
      role: 'analyst',
      targets: ['snowflake'],
      tags: ['team:data'],
      tools: [
        { name: 'run_query', description: 'Run a read-only SQL query' },
        { name: 'list_tables', description: 'List tables and their columns' },
      ],
    },
    { perDay: [12, 18], success: 0.95, timeout: 0.03, llm: false, errorKinds: ['query_timeout', 'permission_denied'] },
  ),
  agent(
    'supportCopilot',
    {
      name: 'Support copilot',
      kind: 'llm_agent',
      source: 'manual',
      owner: 'support-team@acme.example',
      vendor: 'Anthropic',
      model: 'claude-sonnet-4-5',
      description: 'Drafts answers to helpdesk tickets for human agents to review',
      prompt: 'You draft helpful, accurate replies to customer support tickets. Never promise refunds.',
      classification: 'internal',
      role: 'standard',
      targets: ['helpdesk'],
      tags: ['team:support', 'customer-facing'],
    },
    { perDay: [25, 40], success: 0.95, timeout: 0.02, llm: true, errorKinds: ['model_overloaded', 'context_length'] },
  ),
  agent(
    'salesAssistant',
    {
      name: 'Sales research assistant',
      kind: 'llm_agent',
      source: 'manual',
      owner: 'revenue-ops@acme.example',
      vendor: 'OpenAI',
      model: 'gpt-4o',
      description: 'Prepares account briefs from CRM data and public sources',
      prompt: 'You prepare concise account briefs for account executives.',
      classification: 'confidential',
      role: 'analyst',
      targets: ['hubspot', 'salesforce'],
      tags: ['team:revenue'],
    },
    { perDay: [10, 16], success: 0.92, timeout: 0.03, llm: true, errorKinds: ['model_overloaded', 'tool_error'] },
  ),
  agent(
    'financeAgent',
    {
      name: 'Finance reconciliation agent',
      kind: 'llm_agent',
      source: 'manual',
      owner: 'finance-ops@acme.example',
      vendor: 'Anthropic',
      model: 'claude-opus-4-1',
      description: 'Reconciles payouts against invoices and proposes corrective payments',
      prompt: 'You reconcile payouts with invoices. Any payment needs a human approval.',
      classification: 'restricted',
      role: 'operator',
      targets: ['oracle_erp', 'bank'],
      tags: ['team:finance', 'high-risk'],
    },
    { perDay: [6, 10], success: 0.9, timeout: 0.05, llm: true, errorKinds: ['tool_error', 'model_overloaded'] },
  ),
  agent(
    'dwhPipeline',
    {
      name: 'nightly_dwh_load',
      kind: 'pipeline',
      source: 'airflow',
      owner: 'data-eng@acme.example',
      vendor: 'Apache Airflow',
      version: '2.10',
      description: 'Airflow DAG: loads SAP purchase orders and CRM deals into the warehouse',
      classification: 'confidential',
      role: 'standard',
      targets: ['snowflake', 'sap'],
      tags: ['team:data', 'batch'],
      config: { dag_id: 'nightly_dwh_load', schedule: '0 2 * * *' },
    },
    { perDay: [1, 2], success: 0.8, timeout: 0.1, llm: false, errorKinds: ['upstream_missing', 'oom'] },
  ),
  agent(
    'leadEnrichment',
    {
      name: 'lead-enrichment',
      kind: 'function',
      source: 'lambda',
      owner: 'growth@acme.example',
      vendor: 'AWS Lambda',
      version: '$LATEST',
      description: 'Lambda function enriching new HubSpot contacts with firmographics',
      classification: 'internal',
      role: 'standard',
      targets: ['hubspot'],
      tags: ['team:growth'],
      config: { function_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:lead-enrichment', runtime: 'nodejs20.x' },
    },
    { perDay: [30, 45], success: 0.97, timeout: 0.02, llm: false, errorKinds: ['enrichment_api_4xx'] },
  ),
  agent(
    'shadowScraper',
    {
      name: 'Pricing scraper (unapproved)',
      kind: 'llm_agent',
      source: 'manual',
      vendor: 'unknown',
      model: 'gpt-4o-mini',
      description: 'Found calling the OpenAI API from a marketing laptop; nobody has claimed it yet',
      classification: 'public',
      status: 'quarantined',
      tags: ['shadow-it'],
    },
    { perDay: [0, 0], success: 1, timeout: 0, llm: true, errorKinds: [] },
  ),
];

export interface SourceDefinition {
  kind: DemoSourceKind;
  name: string;
  description: string;
  /** signing settings; hubspot's public_base_url is filled in with the ORCA URL the demo talks to */
  signing?: { tolerance_seconds?: number; options?: Record<string, unknown> };
}

export const SOURCES: SourceDefinition[] = [
  { kind: 'zapier', name: 'Demo · Shopify orders (Zapier)', description: 'Zap "Shopify → Oracle order sync" relays order events' },
  { kind: 'n8n', name: 'Demo · Helpdesk tickets (n8n)', description: 'n8n "Helpdesk ticket router" relays ticket events' },
  { kind: 'make', name: 'Demo · Stripe invoices (Make)', description: 'Make scenario relays paid invoices' },
  { kind: 'hubspot', name: 'Demo · HubSpot CRM', description: 'HubSpot app webhooks: deal creation and amount changes' },
  {
    kind: 'salesforce',
    name: 'Demo · Salesforce CRM',
    description: 'Outbound Messages: opportunity won, lead converted',
    signing: {
      options: {
        allowed_organization_ids: [SALESFORCE_ORG_ID],
        action_event_types: { [SALESFORCE_ACTIONS.opportunityWon]: 'opportunity.won', [SALESFORCE_ACTIONS.leadConverted]: 'lead.converted' },
      },
    },
  },
  { kind: 'servicenow', name: 'Demo · ServiceNow ITSM', description: 'Business rule on incident insert/update' },
  { kind: 'sap', name: 'Demo · SAP S/4HANA (Event Mesh)', description: 'Purchase order events as CloudEvents via a relay' },
  {
    kind: 'dynamics365',
    name: 'Demo · Dynamics 365 Sales',
    description: 'Dataverse webhook: account created, opportunity won',
    // Dataverse's replay check reads OperationCreatedOn, and the demo replays the past day: the widest window allowed.
    signing: { tolerance_seconds: 86_400 },
  },
  { kind: 'oracle_erp', name: 'Demo · Oracle Fusion Order Management', description: 'Sales Order Notification via Oracle Integration' },
];
