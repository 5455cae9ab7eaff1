/** Discovery (docs/discovery.md): which local MCP servers may be started, and the bounds every run keeps to. */
import { bytes, durationBetween, integer, InvalidSetting, list, type Setting } from '../parsers.js';

/** The linking rules discovery knows (docs/discovery.md "Merging"). */
export const LINK_RULES = ['endpoint_url', 'lambda_arn', 'webhook_url'] as const;
export type LinkRule = (typeof LINK_RULES)[number];

function linkRules(raw: string): LinkRule[] {
  const rules = list(raw);
  if (rules.length === 1 && rules[0] === 'none') return [];
  for (const rule of rules) {
    if (!(LINK_RULES as readonly string[]).includes(rule)) throw new InvalidSetting(`must be none or a comma-separated list of ${LINK_RULES.join(', ')}`);
  }
  return [...new Set(rules)] as LinkRule[];
}


export const DISCOVERY_SETTINGS = [
  {
    env: 'DISCOVERY_STDIO_COMMANDS',
    key: 'discoveryStdioCommands',
    default: '',
    description:
      'comma-separated commands that an MCP discovery source of transport stdio may start (exactly as written in the source, e.g. /usr/local/bin/mcp-server-git); empty: stdio sources are refused',
    parse: list,
  },
  {
    env: 'DISCOVERY_RUN_TIMEOUT',
    key: 'discoveryRunTimeoutMs',
    default: '5m',
    description: 'longest one discovery run may take; a run past it ends failed or partial with the error recorded, and its connections and processes are closed',
    parse: durationBetween(1000, '1s', 3_600_000, '1h'),
  },
  {
    env: 'DISCOVERY_MAX_ITEMS',
    key: 'discoveryMaxItems',
    default: '50000',
    description: 'most agents one run may list from one source; beyond it the run ends partial and nothing is marked missing',
    parse: integer(1, 1_000_000),
  },
  {
    env: 'DISCOVERY_MAX_TOOLS',
    key: 'discoveryMaxTools',
    default: '10000',
    description: 'most tools, resources or prompts one MCP server may list; a server listing more is refused (recorded as the run error, its agent left as it was)',
    parse: integer(1, 1_000_000),
  },
  {
    env: 'DISCOVERY_MAX_DESCRIPTION_BYTES',
    key: 'discoveryMaxDescriptionBytes',
    default: '64KiB',
    description: 'largest tool description (UTF-8) a discovered agent may carry; an agent with a larger one is refused (recorded as the run error, left as it was)',
    parse: bytes,
  },
  {
    env: 'DISCOVERY_CONCURRENCY',
    key: 'discoveryConcurrency',
    default: '4',
    description: 'discovery runs a worker process runs at once (on the embedded database, always 1: runs take turns, each bounded by DISCOVERY_RUN_TIMEOUT)',
    parse: integer(1, 50),
  },
  {
    env: 'DISCOVERY_LINK_RULES',
    key: 'discoveryLinkRules',
    default: 'endpoint_url,lambda_arn,webhook_url',
    description:
      'linking rules that merge what several discovery sources see into one agent: endpoint_url (an MCP server\'s URL), lambda_arn (a function ARN), webhook_url (an n8n or Make webhook URL); none: no linking',
    parse: linkRules,
  },
] as const satisfies readonly Setting[];
