// Writes the TypeScript types of the API (openapi-typescript over the OpenAPI document the app serves) to
// test/generated/orca-api.ts, for openapi-fetch clients. Run: npm run openapi:client. A test fails when the committed
// file differs from what this produces.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CLIENT_TYPES_FILE, renderClientTypes } from './lib/api-client-types.js';
import { buildOpenApiDocument } from './lib/openapi-document.js';

mkdirSync(dirname(CLIENT_TYPES_FILE), { recursive: true });
writeFileSync(CLIENT_TYPES_FILE, await renderClientTypes(await buildOpenApiDocument()));
console.log(`wrote ${CLIENT_TYPES_FILE}`);
