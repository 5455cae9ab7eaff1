/**
 * Make (make.com) through its API v2 (https://developers.make.com/api-documentation): `GET {zone}/api/v2/scenarios`
 * for a team or an organization, `Authorization: Token <token>` (scope scenarios:read), pages of `pg[limit]` by
 * `pg[offset]` until a page comes back short. A scenario that uses an AI app (OpenAI, Anthropic, Gemini, Make AI …)
 * is an agent (`llm_agent`), any other an automation (`workflow`). The listing carries no blueprint: the definition
 * is the apps a scenario uses and how it is triggered.
 */
import { Type } from '@sinclair/typebox';
import { baseUrl, getJson, httpUrl, isRecord, listPages, stringOr, urlErrors } from './http-json.js';
import { clip, nameOf } from './shape.js';
import { ConnectorFailure, type Connector, type DiscoveredAgent } from './types.js';

const ConfigSchema = Type.Object(
  {
    zone_url: httpUrl('the zone of the Make organization, e.g. https://eu1.make.com'),
    team_id: Type.Optional(Type.Integer({ minimum: 1, description: 'list the scenarios of this team (or give organization_id)' })),
    organization_id: Type.Optional(Type.Integer({ minimum: 1, description: 'list the scenarios of this organization (or give team_id)' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'scenarios per page (default 100)' })),
  },
  { additionalProperties: false },
);

const CredentialsSchema = Type.Object(
  { api_token: Type.String({ minLength: 1, maxLength: 2000, description: 'a Make API token with the scenarios:read scope' }) },
  { additionalProperties: false },
);

interface Config {
  zone_url: string;
  team_id?: number;
  organization_id?: number;
  page_size?: number;
}
interface Credentials {
  api_token: string;
}

/** Apps whose package name says it calls a language model. */
const AI_PACKAGE = /openai|anthropic|claude|gemini|mistral|perplexity|deepseek|cohere|hugging-?face|make-ai|ai-agent|ai-tools|groq|vertex-ai|bedrock/i;

export function scenarioAgent(scenario: Record<string, unknown>, zone: string): DiscoveredAgent | undefined {
  const id = typeof scenario.id === 'number' || typeof scenario.id === 'string' ? String(scenario.id) : undefined;
  if (id === undefined) return undefined;
  const packages = Array.isArray(scenario.usedPackages) ? scenario.usedPackages.filter((name): name is string => typeof name === 'string').sort() : [];
  const ai = packages.some((name) => AI_PACKAGE.test(name));
  const scheduling = isRecord(scenario.scheduling) ? scenario.scheduling : {};
  return {
    external_id: id,
    agent_external_id: `${zone}/scenarios/${id}`,
    name: nameOf(scenario.name, `Make scenario ${id}`),
    kind: ai ? 'llm_agent' : 'workflow',
    vendor: 'make',
    model: null,
    version: null,
    description: stringOr(scenario.description) ? clip(String(scenario.description), 4000) : null,
    prompt: null,
    config: { used_packages: packages, trigger: stringOr(scheduling.type), hook_id: scenario.hookId ?? null },
    tools: [],
    owner: null,
    tags: [],
    details: {
      team_id: scenario.teamId ?? null,
      folder_id: scenario.folderId ?? null,
      active: scenario.islinked === true || scenario.isActive === true,
      invalid: scenario.isinvalid === true,
      last_edit: stringOr(scenario.lastEdit),
    },
  };
}

export const makeConnector: Connector<Config, Credentials> = {
  kind: 'make',
  configSchema: ConfigSchema,
  credentialsSchema: CredentialsSchema,

  async validate(config, _credentials, context) {
    const errors = await urlErrors(context, config.zone_url, '/body/config/zone_url');
    if ((config.team_id === undefined) === (config.organization_id === undefined)) {
      errors.push({ path: '/body/config/team_id', message: 'give exactly one of team_id and organization_id' });
    }
    return errors;
  },

  async discover(context) {
    if (!context.credentials) throw new ConnectorFailure('no_credentials', 'a Make source needs credentials: {"api_token": "…"}');
    const zone = baseUrl(context.config.zone_url);
    const limit = context.config.page_size ?? 100;
    const headers = { authorization: `Token ${context.credentials.api_token}` };
    const listing = await listPages<Record<string, unknown>, number>(context, async (offset = 0) => {
      const url = new URL(`${zone}/api/v2/scenarios`);
      if (context.config.team_id !== undefined) url.searchParams.set('teamId', String(context.config.team_id));
      else url.searchParams.set('organizationId', String(context.config.organization_id));
      url.searchParams.set('pg[limit]', String(limit));
      url.searchParams.set('pg[offset]', String(offset));
      const page = await getJson(context, 'Make', url.toString(), headers);
      if (!isRecord(page) || !Array.isArray(page.scenarios)) throw new ConnectorFailure('malformed_response', 'Make answered without a scenarios array');
      return { items: page.scenarios.filter(isRecord), next: page.scenarios.length < limit ? undefined : offset + page.scenarios.length };
    });
    const agents = listing.items.map((scenario) => scenarioAgent(scenario, zone)).filter((agent): agent is DiscoveredAgent => agent !== undefined);
    const skipped = listing.items.length - agents.length;
    const errors = skipped > 0 ? [...listing.errors, { code: 'malformed_item', message: `${skipped} scenario(s) without an id were skipped` }] : listing.errors;
    return { agents, errors, complete: listing.complete && skipped === 0 };
  },
};
