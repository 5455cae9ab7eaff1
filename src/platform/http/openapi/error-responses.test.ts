import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from './document.js';
import { addStandardErrorResponses, standardErrorStatuses, type OperationFacts } from './error-responses.js';

const facts = (overrides: Partial<OperationFacts>): OperationFacts => ({
  method: 'get',
  access: 'viewer',
  hasPathParameters: false,
  hasQueryParameters: false,
  bodyMediaTypes: [],
  ...overrides,
});

describe('standardErrorStatuses', () => {
  it('gives a public probe only the blocked-address 403 and 500', () => {
    expect(standardErrorStatuses(facts({ access: 'public' }))).toEqual([403, 500]);
  });

  it('gives a keyed read without inputs the edge statuses, and no 400', () => {
    expect(standardErrorStatuses(facts({}))).toEqual([401, 403, 429, 500, 503]);
  });

  it('adds 400 for a query and 400 + 404 for a path id', () => {
    expect(standardErrorStatuses(facts({ hasQueryParameters: true }))).toEqual([400, 401, 403, 429, 500, 503]);
    expect(standardErrorStatuses(facts({ hasPathParameters: true }))).toEqual([400, 401, 403, 404, 429, 500, 503]);
  });

  it('adds 400, 413 and 415 for every method that carries a body, DELETE included', () => {
    for (const method of ['post', 'put', 'patch', 'delete', 'POST']) {
      expect(standardErrorStatuses(facts({ method, bodyMediaTypes: ['application/json'] })), method).toEqual([400, 401, 403, 413, 415, 429, 500, 503]);
    }
  });

  it('leaves out 415 when any media type is read raw (a webhook)', () => {
    expect(standardErrorStatuses(facts({ method: 'post', access: 'signed', hasPathParameters: true, bodyMediaTypes: ['*/*'] }))).toEqual([
      400, 401, 403, 404, 413, 429, 500, 503,
    ]);
  });
});

describe('addStandardErrorResponses', () => {
  const problem = { title: 'Problem', type: 'object' };

  function documentWith(operation: Record<string, unknown>, method = 'post'): OpenApiDocument {
    return { paths: { '/things/{id}': { [method]: operation } } } as OpenApiDocument;
  }

  it('references the shared responses and publishes only those used', () => {
    const document = documentWith({
      'x-orca-role': 'operator',
      parameters: [{ name: 'id', in: 'path' }],
      requestBody: { content: { 'application/json': { schema: {} } } },
      responses: { 200: { description: 'OK' } },
    });
    addStandardErrorResponses(document);
    const responses = document.paths!['/things/{id}']!.post!.responses!;
    expect(Object.keys(responses)).toEqual(['200', '400', '401', '403', '404', '413', '415', '429', '500', '503']);
    expect(responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
    expect(Object.keys(document.components!.responses!)).toEqual([
      'BadRequest',
      'Forbidden',
      'InternalServerError',
      'NotFound',
      'PayloadTooLarge',
      'ServiceUnavailable',
      'TooManyRequests',
      'Unauthorized',
      'UnsupportedMediaType',
    ]);
    expect(document.components!.responses!.NotFound!.content!['application/problem+json']!.schema!.title).toBe('Problem');
  });

  it('replaces a plain problem response a route declared, and keeps one that says more', () => {
    const document = documentWith({
      'x-orca-role': 'operator',
      responses: {
        409: { description: 'a problem document', content: { 'application/problem+json': { schema: problem } } },
        503: { description: 'not ready', content: { 'application/problem+json': { schema: { title: 'NotReady' } } } },
      },
    }, 'get');
    addStandardErrorResponses(document);
    const responses = document.paths!['/things/{id}']!.get!.responses!;
    expect(responses['409']).toEqual({ $ref: '#/components/responses/Conflict' });
    expect(responses['503']).toEqual({ description: 'not ready', content: { 'application/problem+json': { schema: { title: 'NotReady' } } } });
  });

  it('calls the 403 of a keyless route (public, signed) a blocked address', () => {
    const document = { paths: { '/livez': { get: { 'x-orca-role': 'public', responses: {} } }, '/hook': { post: { 'x-orca-role': 'signed', responses: {} } } } } as OpenApiDocument;
    addStandardErrorResponses(document);
    expect(document.paths!['/livez']!.get!.responses!['403']).toEqual({ $ref: '#/components/responses/AddressBlocked' });
    expect(document.paths!['/hook']!.post!.responses!['403']).toEqual({ $ref: '#/components/responses/AddressBlocked' });
  });

  it('keeps Forbidden for a keyless route that declares a 403 of its own (the console sign-in refusing an ingest key)', () => {
    const own = { description: 'a problem document', content: { 'application/problem+json': { schema: { title: 'Problem', type: 'object' } } } };
    const document = { paths: { '/session': { post: { 'x-orca-role': 'signed', responses: { 403: own } } } } } as OpenApiDocument;
    addStandardErrorResponses(document);
    expect(document.paths!['/session']!.post!.responses!['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
  });
});
