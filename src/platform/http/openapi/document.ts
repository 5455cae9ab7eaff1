/**
 * The parts of an OpenAPI 3.1 document that ORCA's post-processing reads and writes. Loose on purpose: the document
 * is JSON produced by @fastify/swagger, and these functions check what they rely on rather than trust a type.
 */
export type JsonSchema = Record<string, unknown> & { title?: unknown; $ref?: string };

export interface OpenApiMediaType {
  schema?: JsonSchema;
  [key: string]: unknown;
}

export interface OpenApiResponse {
  $ref?: string;
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: JsonSchema;
  [key: string]: unknown;
}

export interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, OpenApiMediaType>; [key: string]: unknown };
  responses?: Record<string, OpenApiResponse>;
  'x-orca-role'?: string;
  [key: string]: unknown;
}

export interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema>; responses?: Record<string, OpenApiResponse>; [key: string]: unknown };
  [key: string]: unknown;
}
