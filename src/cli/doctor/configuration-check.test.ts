import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfiguration } from './configuration-check.js';

const cwd = mkdtempSync(join(tmpdir(), 'orca-doctor-config-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('checkConfiguration', () => {
  it('is up from the environment alone, saying no file was read', () => {
    const outcome = checkConfiguration({ PORT: '4100' }, cwd);
    expect(outcome.config?.port).toBe(4100);
    expect(outcome.check).toMatchObject({ status: 'up', file: null, detail: 'valid: from the environment (no configuration file)' });
  });

  it('names the configuration file it read', () => {
    const file = join(cwd, 'orca.config.yaml');
    writeFileSync(file, 'PORT: 4200\n');
    const outcome = checkConfiguration({}, cwd);
    rmSync(file);
    expect(outcome.config?.port).toBe(4200);
    expect(outcome.check).toMatchObject({ status: 'up', file, detail: `valid: ${file} and the environment (the environment wins)` });
  });

  it('is down with every problem and the hint, never showing a secret value', () => {
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the check must not echo it
    const outcome = checkConfiguration({ PORT: 'abc', DATABASE_URL: 'mysql://orca:hunter2-doctor@db/orca' }, cwd);
    expect(outcome.config).toBeUndefined();
    expect(outcome.check.status).toBe('down');
    expect(outcome.check.detail).toMatch(/^PORT: .*\(got "abc"\); DATABASE_URL: /);
    expect(outcome.check.detail).not.toContain('hunter2');
    expect(outcome.check.hint).toBe(
      'fix the settings named above (in the environment): `orca doctor --help` and docs/CONFIGURATION.md list every setting with its format and default',
    );
  });
});
