import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { installJsonBodyParser } from '../http/json-body.js';
import { documentSourceOf, installDocumentBodyParsers } from './document-body.js';

/** A bare Fastify app: the parsers' wiring alone, without ORCA's edge. */
describe('installDocumentBodyParsers', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    installJsonBodyParser(app);
    app.setErrorHandler((error: AppError | (Error & { code?: string; statusCode?: number }), _request, reply) => {
      const status = error instanceof AppError ? error.status : (error.statusCode ?? 500);
      void reply.code(status).send({ status, code: error.code, detail: error.message });
    });
    await app.register(async (documents) => {
      installDocumentBodyParsers(documents);
      documents.put('/document', { config: { documentBody: true } }, async (request) => ({ body: request.body, source: documentSourceOf(request) ?? null }));
      documents.post('/plain', async (request) => ({ body: request.body, source: documentSourceOf(request) ?? null }));
    });
    await app.register(async (other) => {
      other.post('/elsewhere', async (request) => ({ body: request.body }));
    });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  const send = (method: 'PUT' | 'POST', url: string, contentType: string, payload: string) =>
    app.inject({ method, url, headers: { 'content-type': contentType }, payload });

  it('parses a document route\'s JSON and YAML with parseDocument and remembers how each arrived', async () => {
    const json = await send('PUT', '/document', 'application/json', '{"a":[1,2]}');
    expect(json.json()).toEqual({ body: { a: [1, 2] }, source: { format: 'json', text: '{"a":[1,2]}' } });
    const yaml = await send('PUT', '/document', 'text/yaml', 'a: [1, 2] # kept\n');
    expect(yaml.json()).toEqual({ body: { a: [1, 2] }, source: { format: 'yaml', text: 'a: [1, 2] # kept\n' } });
  });

  it('refuses on a document route what parseDocument refuses', async () => {
    const duplicate = await send('PUT', '/document', 'application/json', '{"a":1,"a":2}');
    expect(duplicate.json()).toEqual({ status: 400, code: 'bad_request', detail: 'the document repeats the key /a' });
    const empty = await send('PUT', '/document', 'application/yaml', '');
    expect(empty.json()).toEqual({ status: 400, code: 'bad_request', detail: 'the document is empty' });
  });

  it('keeps the plain JSON parser for the plugin\'s other routes and answers their YAML with 415', async () => {
    const json = await send('POST', '/plain', 'application/json', '{"a":1,"a":2}');
    expect(json.json()).toEqual({ body: { a: 2 }, source: null });
    const deep = await send('POST', '/plain', 'application/json', `${'['.repeat(33)}${']'.repeat(33)}`);
    expect(deep.json()).toEqual({ status: 400, code: 'bad_request', detail: 'the request body nests deeper than 32 levels' });
    const yaml = await send('POST', '/plain', 'application/yaml', 'a: 1');
    expect(yaml.json()).toEqual({ status: 415, code: 'unsupported_media_type', detail: 'this route accepts application/json bodies only' });
  });

  it('registers nothing outside the plugin that installs it', async () => {
    const yaml = await send('POST', '/elsewhere', 'application/yaml', 'a: 1');
    expect(yaml.statusCode).toBe(415);
    expect(yaml.json()).toMatchObject({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect((await send('POST', '/elsewhere', 'application/json', '{"a":1,"a":2}')).json()).toEqual({ body: { a: 2 } });
  });
});
