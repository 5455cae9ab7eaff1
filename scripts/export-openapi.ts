// Writes the OpenAPI document GET /openapi.json serves (scripts/lib/openapi-document.ts), for tools that want a file:
// `npm run openapi:lint` lints it. Run: npx tsx scripts/export-openapi.ts [file] (default openapi.json, git-ignored).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument } from './lib/openapi-document.js';

const target = resolve(process.argv[2] ?? 'openapi.json');
writeFileSync(target, `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
