/**
 * AWS Lambda through the AWS SDK (`ListFunctions`, 50 functions a page following `NextMarker`, then `ListTags` for
 * each function), its HTTP sent through ORCA's outbound client (aws-http-handler.ts). Every function is registered,
 * as kind `function`; what it runs (code hash, runtime, handler, role, layers, environment variable names — never
 * their values) is its definition.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { Type } from '@sinclair/typebox';
import { OutboundError } from '../../../platform/outbound/index.js';
import { awsHttpHandler } from './aws-http-handler.js';
import { httpUrl, listPages, urlErrors } from './http-json.js';
import { clip, nameOf, tagsOf } from './shape.js';
import { ConnectorFailure, type Connector, type DiscoveredAgent, type RunError } from './types.js';

const ConfigSchema = Type.Object(
  {
    region: Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$', description: 'AWS region, e.g. eu-west-1' }),
    endpoint: Type.Optional(httpUrl('another Lambda endpoint (a VPC endpoint, LocalStack); default: the public endpoint of the region')),
    include_tags: Type.Optional(Type.Boolean({ description: 'read each function\'s tags with ListTags (default true): owner from the "owner" tag, the rest as agent tags' })),
  },
  { additionalProperties: false },
);

const CredentialsSchema = Type.Object(
  {
    access_key_id: Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Z0-9]+$' }),
    secret_access_key: Type.String({ minLength: 16, maxLength: 256 }),
    session_token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  },
  { additionalProperties: false, description: 'omit to use the AWS default credential chain of the ORCA process (an instance or task role)' },
);

interface Config {
  region: string;
  endpoint?: string;
  include_tags?: boolean;
}
interface Credentials {
  access_key_id: string;
  secret_access_key: string;
  session_token?: string;
}

/**
 * ListTags calls in flight at once (one call per function: 10,000 functions are 10,000 calls): enough to hide the
 * round trip to AWS, few enough not to trip Lambda's control-plane limits. A 429 is retried by the outbound client
 * after its Retry-After, and the source's circuit breaker stops every call at once when AWS keeps failing.
 */
const TAG_CONCURRENCY = 16;

/** An SDK error as a failure an operator can act on; AWS messages may name principals, so only the error name is kept. */
function failureOf(error: unknown): ConnectorFailure {
  if (error instanceof ConnectorFailure) return error;
  if (error instanceof OutboundError) return new ConnectorFailure(error.reason === 'timeout' ? 'timeout' : 'unreachable', `AWS Lambda did not answer: ${error.message}`);
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  if (status === 401 || status === 403) {
    return new ConnectorFailure('unauthorized', `AWS refused the credentials (HTTP ${status} ${name ?? ''}): they need lambda:ListFunctions and lambda:ListTags`);
  }
  if (status === 429) return new ConnectorFailure('rate_limited', `AWS Lambda is rate limiting ORCA (HTTP 429 ${name ?? ''})`);
  if (status !== undefined && status >= 500) return new ConnectorFailure('upstream_error', `AWS Lambda answered HTTP ${status}`);
  if (status !== undefined) return new ConnectorFailure('unexpected_status', `AWS Lambda answered HTTP ${status} ${name ?? ''}`);
  return new ConnectorFailure('malformed_response', `AWS Lambda answered in a way the SDK could not read (${name ?? 'error'})`);
}

/** A function as the registry sees it; exported for unit tests. */
export function functionAgent(fn: FunctionConfiguration, region: string, tags: Record<string, string> | undefined): DiscoveredAgent | undefined {
  const arn = fn.FunctionArn;
  if (!arn) return undefined;
  const tagEntries = Object.entries(tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const owner = tags?.owner ?? tags?.Owner;
  return {
    external_id: arn,
    agent_external_id: arn,
    name: nameOf(fn.FunctionName, arn),
    kind: 'function',
    vendor: 'aws',
    model: null,
    version: fn.Version ?? null,
    description: fn.Description ? clip(fn.Description, 4000) : null,
    prompt: null,
    config: {
      code_sha256: fn.CodeSha256 ?? null,
      runtime: fn.Runtime ?? null,
      handler: fn.Handler ?? null,
      package_type: fn.PackageType ?? null,
      role: fn.Role ?? null,
      architectures: fn.Architectures ?? [],
      layers: (fn.Layers ?? []).map((layer) => layer.Arn ?? '').sort(),
      environment_variables: Object.keys(fn.Environment?.Variables ?? {}).sort(),
    },
    tools: [],
    owner: owner ? clip(owner, 200) : null,
    tags: tagsOf(tagEntries.filter(([key]) => key !== 'owner' && key !== 'Owner').map(([key, value]) => `${key}:${value}`)),
    details: {
      region,
      memory_size: fn.MemorySize ?? null,
      timeout: fn.Timeout ?? null,
      last_modified: fn.LastModified ?? null,
      state: fn.State ?? null,
      ...(tags ? { tags: Object.fromEntries(tagEntries) } : {}),
    },
  };
}

/** Runs `work` over `items`, `concurrency` at a time, stopping early once `signal` aborts. */
async function eachLimited<T>(items: T[], concurrency: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const item = items[next];
      next += 1;
      await work(item!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export const lambdaConnector: Connector<Config, Credentials> = {
  kind: 'lambda',
  configSchema: ConfigSchema,
  credentialsSchema: CredentialsSchema,

  validate: async (config, _credentials, context) => (config.endpoint ? urlErrors(context, config.endpoint, '/body/config/endpoint') : []),

  async discover(context) {
    const { config, credentials } = context;
    // Loaded at the first Lambda run: the SDK costs megabytes of heap that deployments without a Lambda source never use.
    const { LambdaClient, ListFunctionsCommand, ListTagsCommand } = await import('@aws-sdk/client-lambda');
    const client = new LambdaClient({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(credentials
        ? { credentials: { accessKeyId: credentials.access_key_id, secretAccessKey: credentials.secret_access_key, ...(credentials.session_token ? { sessionToken: credentials.session_token } : {}) } }
        : {}),
      requestHandler: awsHttpHandler(context.outbound, { id: context.sourceId }, context.correlationId),
      // The outbound client retries (with Retry-After); SDK retries on top would multiply the attempts.
      maxAttempts: 1,
    });
    try {
      const listing = await listPages<FunctionConfiguration, string>(context, async (marker) => {
        try {
          const page = await client.send(new ListFunctionsCommand({ MaxItems: 50, ...(marker ? { Marker: marker } : {}) }));
          return { items: page.Functions ?? [], next: page.NextMarker || undefined };
        } catch (error) {
          throw failureOf(error);
        }
      });
      const errors: RunError[] = [...listing.errors];
      const tags = new Map<string, Record<string, string>>();
      if (config.include_tags ?? true) {
        await eachLimited(listing.items, TAG_CONCURRENCY, context.signal, async (fn) => {
          if (!fn.FunctionArn) return;
          try {
            const answer = await client.send(new ListTagsCommand({ Resource: fn.FunctionArn }));
            tags.set(fn.FunctionArn, answer.Tags ?? {});
          } catch (error) {
            const failure = failureOf(error);
            errors.push({ code: failure.code, message: `ListTags: ${failure.message}`, external_id: fn.FunctionArn });
          }
        });
      }
      const agents: DiscoveredAgent[] = [];
      for (const fn of listing.items) {
        const agent = functionAgent(fn, config.region, tags.get(fn.FunctionArn ?? ''));
        if (agent) agents.push(agent);
      }
      return { agents, errors, complete: listing.complete };
    } finally {
      client.destroy();
    }
  },
};
