/**
 * Linking rules (docs/discovery.md "Merging"): what makes two things that two sources list the same agent. Each rule
 * turns what a source says about an agent into keys — `rule:value` strings — and two identities of different
 * sources sharing a key are one agent. Pure.
 *
 * - `lambda_arn`: a Lambda function's ARN, without a version or alias qualifier.
 * - `endpoint_url`: the URL an MCP server answers at (an MCP source's URL; an n8n workflow's MCP Server Trigger).
 * - `webhook_url`: the URL a webhook-started workflow answers at (an n8n Webhook node: <instance>/webhook/<path>; a
 *   Make scenario's hook, as the Make connector read it from the hooks API).
 *
 * Agents registered by hand take part through their external_id: an ARN or a URL there is compared with the keys.
 */
import type { LinkRule } from '../../platform/config/settings/discovery.js';
import type { DiscoverySourceKind, DiscoveredAgent } from './connectors/types.js';

export type { LinkRule } from '../../platform/config/settings/discovery.js';

const NAME = /^[A-Za-z0-9_-]{1,140}$/;
const QUALIFIER = /^[A-Za-z0-9$_-]{1,128}$/;

export interface LinkKey {
  rule: LinkRule;
  value: string;
}

export const keyText = (key: LinkKey): string => `${key.rule}:${key.value}`;

/** The rule of a key text (keys are written by keyText). */
export function parseKey(text: string): LinkKey {
  const at = text.indexOf(':');
  return { rule: text.slice(0, at) as LinkRule, value: text.slice(at + 1) };
}

/**
 * A URL as rules compare it: http(s) only, scheme and host lowercased and the default port dropped (the URL parser
 * does both), no fragment, no trailing slash. Null for anything else.
 */
export function normaliseUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

/** arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>] → the ARN without the qualifier. */
export function lambdaArnOf(raw: string): string | null {
  const parts = raw.split(':');
  if (parts.length !== 7 && parts.length !== 8) return null;
  const [arn, partition, service, region, account, resource, name, qualifier] = parts as [string, string, string, string, string, string, string, string | undefined];
  const valid =
    arn === 'arn' &&
    partition.startsWith('aws') &&
    service === 'lambda' &&
    /^[a-z0-9-]{1,30}$/.test(region) &&
    /^\d{12}$/.test(account) &&
    resource === 'function' &&
    NAME.test(name) &&
    (qualifier === undefined || QUALIFIER.test(qualifier));
  return valid ? parts.slice(0, 7).join(':') : null;
}

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : []);

/** <instance>/workflow/<id> → <instance> (the n8n connector's agent_external_id). */
function n8nInstanceOf(agentExternalId: string): string | null {
  const at = agentExternalId.lastIndexOf('/workflow/');
  return at > 0 ? agentExternalId.slice(0, at) : null;
}

/** The keys of one discovered agent under the enabled rules, sorted and without duplicates. */
export function linkKeysOf(kind: DiscoverySourceKind, agent: DiscoveredAgent, rules: readonly LinkRule[]): string[] {
  const keys = new Set<string>();
  const add = (rule: LinkRule, value: string | null) => {
    if (value !== null && rules.includes(rule)) keys.add(keyText({ rule, value }));
  };
  if (kind === 'lambda') add('lambda_arn', lambdaArnOf(agent.external_id));
  if (kind === 'mcp') add('endpoint_url', normaliseUrl(agent.external_id));
  if (kind === 'n8n') {
    const instance = n8nInstanceOf(agent.agent_external_id);
    if (instance !== null) {
      const path = (prefix: string, value: string) => normaliseUrl(`${instance}/${prefix}/${value.replace(/^\/+/, '')}`);
      for (const value of stringsOf(agent.details.webhook_paths)) add('webhook_url', path('webhook', value));
      for (const value of stringsOf(agent.details.mcp_trigger_paths)) add('endpoint_url', path('mcp', value));
    }
  }
  if (kind === 'make' && typeof agent.details.webhook_url === 'string') add('webhook_url', normaliseUrl(agent.details.webhook_url));
  return [...keys].sort();
}

/**
 * What an agent registered by hand may carry in its external_id for a key to find it: the value itself, and for a
 * URL also its spelling with a trailing slash (the URL parser writes a bare origin that way).
 */
export function externalIdsFor(keys: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const text of keys) {
    const { rule, value } = parseKey(text);
    ids.add(value);
    if (rule !== 'lambda_arn') ids.add(`${value}/`);
  }
  return [...ids];
}

/** The key an agent's external_id stands for under a rule, if any (the other side of externalIdsFor). */
export function keysOfExternalId(externalId: string, rules: readonly LinkRule[]): string[] {
  const keys: string[] = [];
  const arn = lambdaArnOf(externalId);
  if (arn !== null && rules.includes('lambda_arn')) keys.push(keyText({ rule: 'lambda_arn', value: arn }));
  const url = normaliseUrl(externalId);
  if (url !== null) {
    for (const rule of ['endpoint_url', 'webhook_url'] as const) if (rules.includes(rule)) keys.push(keyText({ rule, value: url }));
  }
  return keys;
}
