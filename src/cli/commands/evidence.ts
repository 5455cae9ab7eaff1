import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { AppError } from '../../platform/errors.js';
import { loadConfigOrExit } from '../load-config.js';
import { cliActor, withContainer } from '../open-container.js';
import { runningServerApi, ServerApiError } from '../server-api.js';

class EvidenceRefused extends Error {}

const DATE = /^\d{4}-\d\d-\d\d$/;
/** RFC 3339 in two checks (each simple enough to be safe): a full date and time first, an explicit zone last. */
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/i;
const ZONE = /(?:Z|[+-]\d\d:\d\d)$/i;

/** RFC 3339, or a bare date meaning midnight UTC (what an auditor usually writes). */
export function parseTime(option: string, value: string): Date {
  const text = DATE.test(value) ? `${value}T00:00:00Z` : value;
  const date = new Date(text);
  if (!DATE_TIME.test(text) || !ZONE.test(text) || Number.isNaN(date.getTime())) {
    throw new EvidenceRefused(`${option} must be an RFC 3339 time (2026-01-01T00:00:00Z) or a date (2026-01-01, midnight UTC), not "${value}"`);
  }
  return date;
}

/** Copies the archive to `out` through a partial file (renamed at the end), hashing it on the way. */
async function writeArchive(source: Readable, out: string): Promise<{ bytes: number; sha256: string }> {
  const partial = `${out}.partial`;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path the operator gave with --out
  const file = await open(partial, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, measure, file.createWriteStream());
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path the operator gave with --out
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw new EvidenceRefused(`the evidence pack could not be completed (${(error as Error).message}); nothing was written to ${out}`);
  }
  return { bytes, sha256: hash.digest('hex') };
}

export function registerEvidenceCommand(program: Command): void {
  program
    .command('evidence')
    .description('write the evidence pack of a period to a .tar.gz file: inventory, policies, decisions, violations, KPIs, incidents, audit log, SHA256SUMS (docs/evidence.md)')
    .requiredOption('--from <time>', 'start of the period, inclusive: RFC 3339 (2026-01-01T00:00:00Z) or a date (2026-01-01 = midnight UTC)')
    .requiredOption('--to <time>', 'end of the period, exclusive; not in the future')
    .requiredOption('--out <file>', 'the archive to write (must not exist yet)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { from: string; to: string; out: string; json?: boolean }) => {
      try {
        const from = parseTime('--from', options.from);
        const to = parseTime('--to', options.to);
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path the operator gave with --out
        if (existsSync(options.out)) throw new EvidenceRefused(`${options.out} exists: choose another --out or remove it`);
        const config = loadConfigOrExit();
        const api = runningServerApi(config);
        let written: { bytes: number; sha256: string };
        if (api) {
          console.error(`orca evidence: via the running ORCA (pid ${api.endpoint.pid}, ${api.endpoint.url})`);
          const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
          const response = await api.download(`/api/v1/evidence?${query.toString()}`);
          written = await writeArchive(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), options.out);
        } else {
          written = await withContainer(async (container) => {
            const pack = await container.modules.evidence.service.export(cliActor(), { from, to });
            return writeArchive(pack.stream, options.out);
          }, config);
        }
        const result = { file: options.out, bytes: written.bytes, sha256: written.sha256, from: from.toISOString(), to: to.toISOString() };
        if (options.json) console.log(JSON.stringify(result));
        else {
          console.log(`wrote ${result.file}: ${result.bytes} bytes, sha256 ${result.sha256}`);
          console.log('check it: extract it, then run `sha256sum -c SHA256SUMS` in the folder it creates');
        }
      } catch (error) {
        if (error instanceof EvidenceRefused || error instanceof ServerApiError || (error instanceof AppError && error.status < 500)) {
          console.error(`orca evidence: ${error.message}`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
}
