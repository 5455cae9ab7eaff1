import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { parseJsonBody } from '../http/json-body.js';
import { parseDocument, YAML_MEDIA_TYPES, type DocumentFormat } from './parse-document.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's body is a hand-written document (JSON or YAML), parsed by parseDocument. */
    documentBody?: boolean;
  }
}

/** A document body as it arrived: its format, and its text (YAML is stored as written, comments included). */
export interface DocumentSource {
  format: DocumentFormat;
  text: string;
}

const sources = new WeakMap<FastifyRequest, DocumentSource>();

/**
 * Registers, inside the calling plugin only, the parsers for routes whose `config.documentBody` is set: JSON and
 * YAML through parseDocument. The plugin's other routes keep the plain JSON body parser (the evaluate hot path pays
 * nothing for document strictness) and answer YAML with 415.
 */
export function installDocumentBodyParsers(app: FastifyInstance): void {
  const parse = (format: DocumentFormat, request: FastifyRequest, text: string): unknown => {
    const document = parseDocument(text, format);
    sources.set(request, { format, text });
    return document;
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, request.routeOptions.config.documentBody ? parse('json', request, body as string) : parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: 'string' }, (request, body, done) => {
    try {
      if (!request.routeOptions.config.documentBody) throw new AppError('unsupported_media_type', 'this route accepts application/json bodies only');
      done(null, parse('yaml', request, body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** How the request's document body arrived; undefined for a route without `config.documentBody`. */
export function documentSourceOf(request: FastifyRequest): DocumentSource | undefined {
  return sources.get(request);
}
