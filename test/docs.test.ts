import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderConfigDoc } from '../src/platform/config/doc.js';

it('docs/CONFIGURATION.md is what `npm run docs:config` generates from the settings table', () => {
  expect(readFileSync(new URL('../docs/CONFIGURATION.md', import.meta.url), 'utf8')).toBe(renderConfigDoc());
});
