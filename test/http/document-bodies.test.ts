import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/app.js';

/**
 * The two hand-written documents (the policy, the sync contracts) go through one parser: a document refused by one
 * route is refused by the other with the same problem, in JSON as in YAML, and nothing is stored. Other JSON bodies
 * are held to the same depth and Unicode limits with the same code.
 */

const DOCUMENT_ROUTES = ['/api/v1/policies', '/api/v1/sync/contracts'];

describeEachDatabase('document bodies', (ctx) => {
  const put = (url: string, payload: string, contentType: string) =>
    ctx().app.inject({ method: 'PUT', url, headers: { ...ctx().as('operator'), 'content-type': contentType }, payload });

  const problemOf = (response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) => {
    const { type, title, status, detail, errors } = response.json() as Record<string, unknown>;
    return { statusCode: response.statusCode, contentType: response.headers['content-type'], type, title, status, detail, errors };
  };

  const badRequest = (detail: string) => ({
    statusCode: 400,
    contentType: 'application/problem+json; charset=utf-8',
    type: 'urn:orca:problem:bad_request',
    title: 'Bad Request',
    status: 400,
    detail,
    errors: undefined,
  });

  const cases: Array<[string, string, string, ReturnType<typeof badRequest>]> = [
    ['a duplicate key (JSON)', '{"contracts": [], "contracts": []}', 'application/json', badRequest('the document repeats the key /contracts')],
    ['a duplicate key (YAML)', 'contracts: []\ncontracts: []\n', 'application/yaml', badRequest('the document is not valid YAML (DUPLICATE_KEY at line 2, column 1)')],
    ['nesting past 32 levels (JSON)', `{"x": ${'['.repeat(33)}${']'.repeat(33)}}`, 'application/json', badRequest('the document nests deeper than 32 levels')],
    ['nesting past 32 levels (YAML)', `x: ${'['.repeat(33)}${']'.repeat(33)}`, 'text/yaml', badRequest('the document nests deeper than 32 levels')],
    ['a lone surrogate (JSON)', '{"x": "\\udc00"}', 'application/json', badRequest('the document contains a lone UTF-16 surrogate escape, which is not Unicode text')],
    ['a lone surrogate (YAML)', 'x: "\\ud800"', 'application/x-yaml', badRequest('the document contains a lone UTF-16 surrogate escape, which is not Unicode text')],
    ['a merge key', 'base: &b {a: 1}\nx:\n  <<: *b\n', 'application/yaml', badRequest('the document is not valid YAML (merge keys are not supported, at line 3, column 3)')],
    ['a binary tag', 'x: !!binary aGVsbG8=', 'application/yaml', badRequest('the document is not valid YAML (TAG_RESOLVE_FAILED at line 1, column 4)')],
    ['.nan', 'x: .nan', 'application/yaml', badRequest('the document holds a number JSON cannot represent (.nan or .inf) at /x')],
    ['an empty YAML body', '  \n', 'application/yaml', badRequest('the document is empty')],
    ['broken JSON', '{"x": ', 'application/json', badRequest('the document is not valid JSON')],
    ['a __proto__ key', '{"__proto__": {"x": 1}}', 'application/json', badRequest('the document contains a forbidden __proto__ or constructor key')],
  ];

  it.each(cases)('refuses %s with the same problem on both document routes, storing nothing', async (_name, payload, contentType, expected) => {
    for (const url of DOCUMENT_ROUTES) expect(problemOf(await put(url, payload, contentType)), url).toEqual(expected);
    const { rows } = await ctx().container.db.query<{ policies: number; contracts: number }>(
      'select (select count(*) from policy)::int as policies, (select count(*) from sync_contract_version)::int as contracts',
    );
    expect(rows[0]).toEqual({ policies: 0, contracts: 0 });
  });

  it('refuses other JSON bodies past the same limits with the same code', async () => {
    const agent = (metadata: string) =>
      ctx().app.inject({ method: 'POST', url: '/api/v1/agents', headers: { ...ctx().as('operator'), 'content-type': 'application/json' }, payload: `{"name":"x","kind":"llm_agent","metadata":${metadata}}` });
    expect(problemOf(await agent(`${'['.repeat(32)}${']'.repeat(32)}`))).toEqual(badRequest('the request body nests deeper than 32 levels'));
    expect(problemOf(await agent('{"x":"\\ud800"}'))).toEqual(badRequest('the request body contains a lone UTF-16 surrogate escape, which is not Unicode text'));
  });

  it('takes YAML only on the document routes: elsewhere in the same plugins it is a 415', async () => {
    for (const [method, url] of [['POST', '/api/v1/policy/evaluate'], ['POST', '/api/v1/policy/simulate']] as const) {
      const response = await ctx().app.inject({ method, url, headers: { ...ctx().as('admin'), 'content-type': 'application/yaml' }, payload: 'agent_id: x\n' });
      expect(problemOf(response), url).toEqual({
        statusCode: 415,
        contentType: 'application/problem+json; charset=utf-8',
        type: 'urn:orca:problem:unsupported_media_type',
        title: 'Unsupported Media Type',
        status: 415,
        detail: 'this route accepts application/json bodies only',
        errors: undefined,
      });
    }
  });

  it('still parses JSON on the other routes of those plugins without document strictness', async () => {
    // A repeated key outside a document route keeps JSON.parse's meaning (the last value), as on every other route.
    const response = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/sync/gaps/0190c0de-dead-7000-8000-000000000000/resolve',
      headers: { ...ctx().as('operator'), 'content-type': 'application/json' },
      payload: '{"reason": "x", "reason": "y"}',
    });
    expect(response.statusCode).toBe(404);
  });
});
