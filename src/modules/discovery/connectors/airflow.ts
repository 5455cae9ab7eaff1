/**
 * Apache Airflow through its stable REST API (https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html):
 * `GET /api/v1/dags`, 100 DAGs a page by `offset` until `total_entries`, with basic auth (a user and password) or
 * a bearer token. Each DAG is a `pipeline`; one tagged as AI (ai, llm, genai, agent) is an `llm_agent`. The listing
 * carries no DAG code, so its definition is what the listing shows: file, schedule, owners, tags.
 */
import { Type } from '@sinclair/typebox';
import { baseUrl, getJson, httpUrl, isRecord, listPages, stringOr, urlErrors } from './http-json.js';
import { clip, nameOf, tagsOf } from './shape.js';
import { ConnectorFailure, type Connector, type DiscoveredAgent } from './types.js';

const ConfigSchema = Type.Object(
  {
    url: httpUrl('base URL of the Airflow webserver, e.g. https://airflow.example.com (the API is under /api/v1)'),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'DAGs per page (default 100, the API default maximum)' })),
  },
  { additionalProperties: false },
);

const CredentialsSchema = Type.Union(
  [
    Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
    Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096, description: 'sent as Authorization: Bearer <token>' }) }, { additionalProperties: false }),
  ],
  { description: '{username, password} for basic auth, or {token}' },
);

interface Config {
  url: string;
  page_size?: number;
}
type Credentials = { username: string; password: string } | { token: string };

const AI_TAGS = new Set(['ai', 'llm', 'genai', 'agent', 'ml-agent']);

function authorization(credentials: Credentials): string {
  if ('token' in credentials) return `Bearer ${credentials.token}`;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

export function dagAgent(dag: Record<string, unknown>, instance: string): DiscoveredAgent | undefined {
  const id = stringOr(dag.dag_id);
  if (!id) return undefined;
  const tagNames = Array.isArray(dag.tags) ? dag.tags.filter(isRecord).map((tag) => String(tag.name ?? '')) : [];
  const owners = Array.isArray(dag.owners) ? dag.owners.filter((owner): owner is string => typeof owner === 'string') : [];
  const ai = tagNames.some((tag) => AI_TAGS.has(tag.toLowerCase()));
  return {
    external_id: id,
    agent_external_id: `${instance}/dags/${id}`,
    name: nameOf(id, id),
    kind: ai ? 'llm_agent' : 'pipeline',
    vendor: 'airflow',
    model: null,
    version: null,
    description: stringOr(dag.description) ? clip(String(dag.description), 4000) : null,
    prompt: null,
    config: {
      fileloc: stringOr(dag.fileloc),
      schedule: dag.schedule_interval ?? null,
      timetable: stringOr(dag.timetable_description),
      owners: [...owners].sort(),
      tags: [...tagNames].sort(),
    },
    tools: [],
    owner: owners[0] ? clip(owners[0], 200) : null,
    tags: tagsOf(tagNames),
    details: { is_paused: dag.is_paused === true, is_active: dag.is_active !== false },
  };
}

export const airflowConnector: Connector<Config, Credentials> = {
  kind: 'airflow',
  configSchema: ConfigSchema,
  credentialsSchema: CredentialsSchema,
  validate: (config, _credentials, context) => urlErrors(context, config.url, '/body/config/url'),

  async discover(context) {
    if (!context.credentials) throw new ConnectorFailure('no_credentials', 'an Airflow source needs credentials: {"username", "password"} or {"token"}');
    const instance = baseUrl(context.config.url);
    const limit = context.config.page_size ?? 100;
    const headers = { authorization: authorization(context.credentials) };
    const listing = await listPages<Record<string, unknown>, number>(context, async (offset = 0) => {
      const url = new URL(`${instance}/api/v1/dags`);
      url.searchParams.set('limit', String(limit));
      url.searchParams.set('offset', String(offset));
      const page = await getJson(context, 'Airflow', url.toString(), headers);
      if (!isRecord(page) || !Array.isArray(page.dags)) throw new ConnectorFailure('malformed_response', 'Airflow answered without a dags array');
      const total = typeof page.total_entries === 'number' ? page.total_entries : 0;
      const next = offset + page.dags.length;
      return { items: page.dags.filter(isRecord), next: page.dags.length > 0 && next < total ? next : undefined };
    });
    const agents = listing.items.map((dag) => dagAgent(dag, instance)).filter((agent): agent is DiscoveredAgent => agent !== undefined);
    const skipped = listing.items.length - agents.length;
    const errors = skipped > 0 ? [...listing.errors, { code: 'malformed_item', message: `${skipped} DAG(s) without a dag_id were skipped` }] : listing.errors;
    return { agents, errors, complete: listing.complete && skipped === 0 };
  },
};
