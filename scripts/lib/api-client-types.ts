import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

/** Where the committed client types live; test/http/generated-client.test.ts checks they match the served document. */
export const CLIENT_TYPES_FILE = 'test/generated/orca-api.ts';

const HEADER = `// Generated from the OpenAPI document by \`npm run openapi:client\` (openapi-typescript). Do not edit:
// change the route schemas and regenerate. Used with openapi-fetch: createClient<paths>({ baseUrl }).

`;

/** The TypeScript types openapi-typescript generates for the document, as they are committed. */
export async function renderClientTypes(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as OpenAPI3, { silent: true });
  return `${HEADER}${astToString(ast)}`;
}
