/**
 * Make (make.com) through its API v2 (https://developers.make.com/api-documentation): `GET {zone}/api/v2/scenarios`
 * for a team or an organization, `Authorization: Token <token>` (scope scenarios:read), pages of `pg[limit]` by
 * `pg[offset]` until a page comes back short. A scenario that uses an AI app (OpenAI, Anthropic, Gemini, Make AI …)
 * is an agent (`llm_agent`), any other an automation (`workflow`). The listing carries no blueprint: the definition
 * is the apps a scenario uses and how it is triggered.
 *
 * A scenario started by a webhook carries only the hook's id (`hookId`). Its URL — what the `webhook_url` linking
 * rule compares — comes from the hooks API (`GET {zone}/api/v2/hooks?teamId=…`, scope hooks:read, a team at a time,
 * paged like the scenarios), asked only for the teams whose scenarios use a hook. When that call fails, the
 * scenarios are still listed, without their webhook URLs, and the run is partial.
 */
import { Type } from '@sinclair/typebox';
import { baseUrl, getJson, httpUrl, isRecord, listPages, stringOr, urlErrors } from './http-json.js';
import { clip, nameOf } from './shape.js';
import { ConnectorFailure, type Connector, type ConnectorContext, type DiscoveredAgent, type RunError } from './types.js';

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
  { api_token: Type.String({ minLength: 1, maxLength: 2000, description: 'a Make API token with the scopes scenarios:read and hooks:read' }) },
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

/** A scenario as the registry sees it, with the URL of the webhook that starts it when there is one. Exported for unit tests. */
export function scenarioAgent(scenario: Record<string, unknown>, zone: string, webhookUrl: string | null = null): DiscoveredAgent | undefined {
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
      // Only when there is one, so that scenarios without a webhook read as before (link-keys.ts reads it).
      ...(webhookUrl !== null ? { webhook_url: webhookUrl } : {}),
    },
  };
}

const idOf = (value: unknown): string | null => (typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : null);

/** The teams to ask for hooks: the source's team, or the teams of an organization's scenarios; only where a scenario uses a hook. */
export function teamsWithHooks(scenarios: Array<Record<string, unknown>>, teamId: number | undefined): string[] {
  const teams = new Set<string>();
  for (const scenario of scenarios) {
    if (idOf(scenario.hookId) === null) continue;
    const team = teamId !== undefined ? String(teamId) : idOf(scenario.teamId);
    if (team !== null) teams.add(team);
  }
  return [...teams].sort();
}

interface Webhooks {
  urlOf(scenario: Record<string, unknown>): string | null;
  errors: RunError[];
}

/**
 * The webhooks the teams' scenarios use (`assigned=true`: a hook serves one scenario at most), by hook id and by
 * scenario id. A team whose hooks cannot be read is an error of the run, never its end.
 */
async function webhooksOf(context: ConnectorContext<Config, Credentials>, zone: string, headers: Record<string, string>, teams: string[]): Promise<Webhooks> {
  const byHook = new Map<string, string>();
  const byScenario = new Map<string, string>();
  const errors: RunError[] = [];
  const limit = context.config.page_size ?? 100;
  // Hooks are not agents: they do not count towards the progress of the listing.
  const quiet = { ...context, progress: () => undefined };
  for (const team of teams) {
    const about = `the webhooks of team ${team} (scope hooks:read)`;
    try {
      const listing = await listPages<Record<string, unknown>, number>(quiet, async (offset = 0) => {
        const url = new URL(`${zone}/api/v2/hooks`);
        url.searchParams.set('teamId', team);
        url.searchParams.set('assigned', 'true');
        url.searchParams.set('pg[limit]', String(limit));
        url.searchParams.set('pg[offset]', String(offset));
        const page = await getJson(context, 'Make', url.toString(), headers);
        if (!isRecord(page) || !Array.isArray(page.hooks)) throw new ConnectorFailure('malformed_response', 'Make answered without a hooks array');
        return { items: page.hooks.filter(isRecord), next: page.hooks.length < limit ? undefined : offset + page.hooks.length };
      });
      errors.push(...listing.errors.map((error) => ({ ...error, message: `${about}: ${error.message}` })));
      for (const hook of listing.items) {
        const url = stringOr(hook.url);
        const id = idOf(hook.id);
        // A mailhook's address is an e-mail address, not a URL: only webhooks are linked by URL.
        if (url === null || url.length > 2048 || !/^https?:\/\//i.test(url)) continue;
        if (id !== null) byHook.set(id, url);
        const scenario = idOf(hook.scenarioId);
        if (scenario !== null) byScenario.set(scenario, url);
      }
    } catch (error) {
      if (!(error instanceof ConnectorFailure)) throw error;
      errors.push({ code: error.code, message: `${about}: ${error.message}` });
    }
  }
  return {
    urlOf: (scenario) => {
      const hook = idOf(scenario.hookId);
      if (hook === null) return null;
      return byHook.get(hook) ?? byScenario.get(idOf(scenario.id) ?? '') ?? null;
    },
    errors,
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
    const hooks = await webhooksOf(context, zone, headers, teamsWithHooks(listing.items, context.config.team_id));
    const agents = listing.items
      .map((scenario) => scenarioAgent(scenario, zone, hooks.urlOf(scenario)))
      .filter((agent): agent is DiscoveredAgent => agent !== undefined);
    const skipped = listing.items.length - agents.length;
    const errors = [...listing.errors, ...hooks.errors];
    if (skipped > 0) errors.push({ code: 'malformed_item', message: `${skipped} scenario(s) without an id were skipped` });
    // The hooks only name webhooks: a failure there leaves the listing of scenarios whole (nothing wrongly missing).
    return { agents, errors, complete: listing.complete && skipped === 0 };
  },
};
