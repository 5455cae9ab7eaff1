// Writes docs/CONFIGURATION.md from the settings table the parser uses (src/platform/config/schema.ts).
// Run: npm run docs:config. A test fails when the committed file differs from what this produces.
import { writeFileSync } from 'node:fs';
import { renderConfigDoc } from '../src/platform/config/doc.js';

writeFileSync(new URL('../docs/CONFIGURATION.md', import.meta.url), renderConfigDoc());
console.log('wrote docs/CONFIGURATION.md');
