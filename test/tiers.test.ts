import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tiersOf } from './tiers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(`${ROOT}/${dir}`, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

it('puts every test file in exactly one tier, so that the tiers together run each file once', () => {
  const files = [...testFiles('src'), ...testFiles('console'), ...testFiles('test')];
  expect(files.length).toBeGreaterThan(100);
  expect(files.filter((file) => tiersOf(file).length !== 1).map((file) => [file, tiersOf(file)])).toEqual([]);
});

it('knows a file outside every tier when it sees one', () => {
  expect(tiersOf('test/somewhere-new/thing.test.ts')).toEqual([]);
  expect(tiersOf('test/http/agents/smoke.test.ts')).toEqual(['http']);
});
