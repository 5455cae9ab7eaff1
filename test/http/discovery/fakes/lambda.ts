/**
 * A local AWS Lambda control plane written from the Lambda API reference: `ListFunctions`
 * (`GET /2015-03-31/functions/?Marker=&MaxItems=`, at most 50 a page, `NextMarker` absent on the last page) and
 * `ListTags` (`GET /2017-03-31/tags/{ARN}` → `{ Tags }`). Requests must be SigV4-signed with the expected access
 * key (the signature itself is not checked); otherwise 403 UnrecognizedClientException, in the restJson error form
 * the SDK reads (`x-amzn-errortype` header and a `message`).
 */
import type http from 'node:http';
import { startTestReceiver, type RecordedRequest, type TestReceiver } from '../../../helpers/http-receiver.js';
import type { Disruption } from './n8n.js';

export interface FakeFunction {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  CodeSize: number;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  CodeSha256: string;
  Version: string;
  PackageType: string;
  Architectures: string[];
  Environment?: { Variables: Record<string, string> };
}

export interface FakeLambda {
  receiver: TestReceiver;
  url: string;
  functions: FakeFunction[];
  tags: Map<string, Record<string, string>>;
  listRequests(): RecordedRequest[];
  disrupt(nth: number, disruption: Disruption): void;
  close(): Promise<void>;
}

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';

export function lambdaFunction(name: string, overrides: Partial<FakeFunction> = {}): FakeFunction {
  return {
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    Runtime: 'nodejs20.x',
    Role: `arn:aws:iam::${ACCOUNT}:role/${name}-role`,
    Handler: 'index.handler',
    CodeSize: 1024,
    Description: `${name} function`,
    Timeout: 30,
    MemorySize: 256,
    LastModified: '2026-01-02T03:04:05.000+0000',
    CodeSha256: Buffer.from(`${name}-code-v1`).toString('base64'),
    Version: '$LATEST',
    PackageType: 'Zip',
    Architectures: ['arm64'],
    Environment: { Variables: { OPENAI_API_KEY: 'sk-never-read', TABLE: 'orders' } },
    ...overrides,
  };
}

const json = (response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1', ...headers }).end(JSON.stringify(body));

export async function startFakeLambda(options: { accessKeyId: string; functions: FakeFunction[] }): Promise<FakeLambda> {
  const receiver = await startTestReceiver();
  const state = { functions: options.functions, tags: new Map<string, Record<string, string>>() };
  const disruptions = new Map<number, Disruption>();
  let listed = 0;
  // The ARNs of the functions, rebuilt when tests replace the list: a scan per ListTags would make a listing of
  // n functions cost n² in this server (10,000 functions in the benchmark).
  let indexed: { functions: FakeFunction[]; length: number; arns: Set<string> } | undefined;
  const knownArns = () => {
    if (indexed?.functions !== state.functions || indexed.length !== state.functions.length) {
      indexed = { functions: state.functions, length: state.functions.length, arns: new Set(state.functions.map((fn) => fn.FunctionArn)) };
    }
    return indexed.arns;
  };
  const isList = (request: RecordedRequest) => /^\/2015-03-31\/functions\/?(\?|$)/.test(request.url);
  receiver.respond((request, response) => {
    const url = new URL(request.url, 'http://lambda.local');
    if (isList(request)) {
      listed += 1;
      const disruption = disruptions.get(listed);
      if (disruption === 'hang') return;
      if (disruption) return json(response, disruption.status, { message: 'Rate exceeded' }, { 'x-amzn-errortype': 'TooManyRequestsException', ...disruption.headers });
    }
    const authorization = String(request.headers.authorization ?? '');
    if (!authorization.startsWith(`AWS4-HMAC-SHA256 Credential=${options.accessKeyId}/`)) {
      return json(response, 403, { message: 'The security token included in the request is invalid.' }, { 'x-amzn-errortype': 'UnrecognizedClientException' });
    }
    if (isList(request) && request.method === 'GET') {
      const max = Math.min(Number(url.searchParams.get('MaxItems') ?? 50) || 50, 50);
      const offset = Number(url.searchParams.get('Marker') ?? 0);
      const page = state.functions.slice(offset, offset + max);
      const next = offset + max < state.functions.length ? String(offset + max) : undefined;
      return json(response, 200, { Functions: page, ...(next ? { NextMarker: next } : {}) });
    }
    const tags = /^\/2017-03-31\/tags\/(.+)$/.exec(url.pathname);
    if (tags && request.method === 'GET') {
      const arn = decodeURIComponent(tags[1]!);
      if (!knownArns().has(arn)) return json(response, 404, { Type: 'User', message: `Function not found: ${arn}` }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      return json(response, 200, { Tags: state.tags.get(arn) ?? {} });
    }
    return json(response, 404, { message: 'unknown operation' }, { 'x-amzn-errortype': 'UnknownOperationException' });
  });
  return {
    receiver,
    url: receiver.url('').replace(/\/$/, ''),
    get functions() {
      return state.functions;
    },
    set functions(value) {
      state.functions = value;
    },
    tags: state.tags,
    listRequests: () => receiver.requests.filter(isList),
    disrupt(nth, disruption) {
      disruptions.set(listed + nth, disruption);
    },
    close: () => receiver.close(),
  };
}
