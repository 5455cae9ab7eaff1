import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, type Container } from '../../src/container.js';
import { createAuditModule } from '../../src/modules/audit/index.js';
import { BackupError, createBackupRunner, listBackups, restoreBackup, verifyBackup, type BackupManifest } from '../../src/modules/backups/index.js';
import { sha256File } from '../../src/modules/backups/manifest.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config/load.js';
import type { OrcaConfig } from '../../src/platform/config/schema.js';
import { openDatabase } from '../../src/platform/db/index.js';
import { bundledMigrations, migrate } from '../../src/platform/db/migrate.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { createMetrics } from '../../src/platform/telemetry/metrics.js';
import { ORCA_VERSION } from '../../src/platform/version.js';
import { createSchema, databaseTargets, serverUrl, type DatabaseTarget, type ProvisionedDatabase } from '../helpers/db.js';

/**
 * docs/backups.md: a backup of a database that keeps serving, its manifest and checksums, retention, and a restore
 * that migrates and verifies — on the embedded database (in a data directory: a restore needs one) and on PostgreSQL.
 */

const logger = createLogger({ level: 'silent' });
const actor = { id: 'test:backups', correlationId: null };
const LATEST = Math.max(...bundledMigrations().map((m) => m.version));

interface Setup {
  config: Readonly<OrcaConfig>;
  close(): Promise<void>;
}

/** `empty`: a database with no migration applied (test databases otherwise start from the migrated template). */
async function setUp(target: DatabaseTarget, env: Record<string, string> = {}, options: { empty?: boolean } = {}): Promise<Setup> {
  const provisioned: ProvisionedDatabase =
    options.empty && target.name === 'postgres' && serverUrl ? await createSchema(serverUrl) : await target.provision();
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-backups-'));
  const config = loadConfig({ ORCA_DATA_DIR: dataDir, ...(provisioned.url ? { DATABASE_URL: provisioned.url } : {}), ...env }, dataDir);
  return {
    config,
    async close() {
      await provisioned.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const open = (config: Readonly<OrcaConfig>) => createContainer(config, { role: 'api', logger });

async function keyCount(container: Container): Promise<number> {
  return (await container.modules.keys.service.list({ limit: 200 })).items.length;
}

for (const target of databaseTargets) {
  describe(`backups [${target.name}]`, { timeout: 600_000 }, () => {
    let setup: Setup;
    beforeAll(async () => {
      setup = await setUp(target, { BACKUP_RETENTION: '2' });
    });
    afterAll(async () => {
      await setup.close();
    });

    it('backs up a database that keeps serving, then restores it exactly: counts, audit chain, checksums', async () => {
      const container = await open(setup.config);
      let manifest: BackupManifest;
      let folder: string;
      try {
        for (const name of ['first', 'second', 'third']) await container.modules.keys.service.create(actor, { name, role: 'viewer' });
        // A write racing the backup: either side of the snapshot is fine, but the manifest must describe the same side
        // as the dump, which the restore below checks row for row.
        const [run] = await Promise.all([container.modules.backups.service.run(), container.modules.keys.service.create(actor, { name: 'racing', role: 'viewer' })]);
        ({ manifest, folder } = run);
        expect(manifest).toMatchObject({ format: 'orca-backup/1', orca_version: ORCA_VERSION, database: { kind: target.name, schema_version: LATEST } });
        expect([3, 4]).toContain(manifest.row_counts.api_key);
        expect(manifest.audit_head?.seq).toBe(manifest.row_counts.audit_entry);
        const [file] = manifest.files;
        expect(file?.name).toBe(target.name === 'pglite' ? 'pgdata.tar.gz' : 'database.pgdump');
        expect(file?.sha256).toBe(await sha256File(join(folder, file!.name)));
        expect((await verifyBackup(folder)).manifest).toEqual(manifest);

        // What /status and the metrics read.
        expect(container.modules.backups.service.status()).toMatchObject({ outcome: 'success', backup: folder, s3: 'off', error: null, last_success_at: manifest.created_at });
        const metrics = await container.metrics.registry.metrics();
        expect(metrics).toContain('orca_backup_last_outcome{outcome="success"} 1');
        expect(metrics).toContain('orca_backup_last_outcome{outcome="failure"} 0');
        expect(metrics).toContain(`orca_backup_last_success_timestamp_seconds ${Date.parse(manifest.created_at) / 1000}`);

        await container.modules.keys.service.create(actor, { name: 'after the backup', role: 'viewer' });
      } finally {
        await container.close();
      }

      await expect(restoreBackup(setup.config, folder, { yes: false, logger })).rejects.toThrow(/already holds data: restoring replaces it\. Run again with --yes/);
      const report = await restoreBackup(setup.config, folder, { yes: true, logger });
      expect(report).toMatchObject({
        kind: target.name,
        backup_schema_version: LATEST,
        migrations_applied: [],
        schema_version: LATEST,
        tables_checked: Object.keys(manifest.row_counts).length,
        audit_entries_checked: manifest.audit_head?.seq,
        audit_head_seq: manifest.audit_head?.seq,
      });
      const restored = await open(setup.config);
      try {
        expect(await keyCount(restored)).toBe(manifest.row_counts.api_key);
        expect((await restored.modules.audit.service.verify()).head_hash).toBe(manifest.audit_head?.hash);
      } finally {
        await restored.close();
      }
    });

    it('keeps the newest BACKUP_RETENTION backups', async () => {
      const container = await open(setup.config);
      try {
        const names: string[] = [];
        for (let i = 0; i < 3; i += 1) names.push((await container.modules.backups.service.run()).name);
        expect(listBackups(container.modules.backups.service.dir)).toEqual(names.slice(1));
      } finally {
        await container.close();
      }
    });

    it('refuses an altered, truncated or newer-schema backup and leaves the database untouched', async () => {
      const container = await open(setup.config);
      let folder: string;
      let keysBefore: number;
      try {
        folder = (await container.modules.backups.service.run()).folder;
        keysBefore = await keyCount(container);
      } finally {
        await container.close();
      }
      const scratch = mkdtempSync(join(tmpdir(), 'orca-bad-backup-'));
      try {
        const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as BackupManifest;
        const dump = manifest.files[0]!.name;

        const altered = join(scratch, 'altered');
        cpSync(folder, altered, { recursive: true });
        const bytes = readFileSync(join(altered, dump));
        const middle = Math.floor(bytes.length / 2);
        bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
        writeFileSync(join(altered, dump), bytes);
        await expect(verifyBackup(altered)).rejects.toThrow(`${join(altered, dump)} does not match its SHA-256 in the manifest`);
        await expect(restoreBackup(setup.config, altered, { yes: true, logger })).rejects.toBeInstanceOf(BackupError);

        const truncated = join(scratch, 'truncated');
        cpSync(folder, truncated, { recursive: true });
        truncateSync(join(truncated, dump), 100);
        await expect(verifyBackup(join(truncated, 'manifest.json'))).rejects.toThrow(`has 100 bytes, the manifest says ${manifest.files[0]!.bytes}: the file is truncated or altered`);

        const newer = join(scratch, 'newer');
        cpSync(folder, newer, { recursive: true });
        writeFileSync(join(newer, 'manifest.json'), JSON.stringify({ ...manifest, database: { ...manifest.database, schema_version: LATEST + 1 } }));
        await expect(restoreBackup(setup.config, newer, { yes: true, logger })).rejects.toThrow(
          `the backup's schema version is ${LATEST + 1}, newer than this ORCA knows (${LATEST})`,
        );
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
      const after = await open(setup.config);
      try {
        expect(await keyCount(after)).toBe(keysBefore);
      } finally {
        await after.close();
      }
    });
  });

  describe(`restoring a backup of an older schema [${target.name}]`, { timeout: 600_000 }, () => {
    it('restores it and applies the migrations it lacks, audit chain intact', async () => {
      const setup = await setUp(target, {}, { empty: true });
      try {
        const OLDER = 5;
        const db = await openDatabase(setup.config, logger, createMetrics());
        let folder: string;
        try {
          await migrate(db, bundledMigrations().filter((m) => m.version <= OLDER));
          const audit = createAuditModule({ db, clock: systemClock, metrics: new Registry(), logger });
          for (const action of ['test.one', 'test.two']) {
            await db.transaction((tx) => audit.service.append(tx, { actor: actor.id, action, target: 'older-schema', before: null, after: { n: 1 }, correlationId: null }));
          }
          const runner = createBackupRunner({ db, clock: systemClock, logger, audit: audit.service, settings: setup.config, version: ORCA_VERSION });
          const run = await runner.run();
          expect(run.manifest.database.schema_version).toBe(OLDER);
          expect(run.manifest.audit_head?.seq).toBe(2);
          folder = run.folder;
        } finally {
          await db.close();
        }
        const report = await restoreBackup(setup.config, folder, { yes: true, logger });
        expect(report).toMatchObject({
          backup_schema_version: OLDER,
          migrations_applied: bundledMigrations().filter((m) => m.version > OLDER).map((m) => m.version),
          schema_version: LATEST,
          audit_entries_checked: 2,
          audit_head_seq: 2,
        });
      } finally {
        await setup.close();
      }
    });
  });
}
