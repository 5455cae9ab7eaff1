import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { Actor } from '../../platform/http/actor.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { GENESIS_HASH, verifyBatch, type AuditService, type ChainProblem, type StoredAuditEntry } from '../audit/index.js';
import type { TrustService } from '../trust/index.js';
import { createTarGzWriter, spoolLines, type ArchivedFile, type TarGzWriter } from './archive.js';
import { FILE_DESCRIPTIONS, readme, UNAVAILABLE_REASONS, type EvidenceFile } from './evidence-contents.js';
import { checkPeriod } from './evidence-period.js';
import type { EvidenceReadModel, OptionalTable, Period } from './evidence.read-model.js';
import type { EvidenceMetrics } from './evidence.metrics.js';

/** Problems listed in audit-verification.json (the count is always complete). */
const MAX_LISTED_PROBLEMS = 1000;

export interface EvidenceServiceDeps {
  db: Database;
  readModel: EvidenceReadModel;
  audit: Pick<AuditService, 'append' | 'verify'>;
  trust: Pick<TrustService, 'kpisBetween'>;
  clock: Clock;
  logger: Logger;
  metrics: EvidenceMetrics;
  /** EVIDENCE_RETENTION. */
  retentionMs: number;
  /** POLICY_ALLOW_SAMPLE_RATE: the share of plain allows the decision log keeps (the summary says so). */
  allowSampleRate: number;
  /** The built-in policy (version 0), in force until the first document was put. */
  defaultPolicySource: string;
  version: string;
}

export interface EvidenceExport {
  fileName: string;
  /** The .tar.gz; it errors (and ends early) if the pack cannot be completed. */
  stream: Readable;
}

interface ManifestEntry extends ArchivedFile {
  description: string;
  records?: number;
}

const compact = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function createEvidenceService(deps: EvidenceServiceDeps) {
  const { readModel } = deps;

  /** Lines of JSON from rows, one per row. */
  async function* jsonLines(rows: AsyncIterable<Record<string, unknown>>, pick?: (row: Record<string, unknown>) => unknown): AsyncGenerator<string> {
    for await (const row of rows) yield JSON.stringify(pick ? pick(row) : row);
  }

  /** Builds the pack into `writer`, one file at a time; the caller's stream ends when it is done (or fails). */
  async function build(writer: TarGzWriter, period: Period, meta: { root: string; generatedAt: Date; actor: string }): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'orca-evidence-'));
    const manifest: ManifestEntry[] = [];
    const unavailable: Array<{ path: string; reason: string }> = [];
    const described = (path: EvidenceFile) => FILE_DESCRIPTIONS[path];
    const addText = async (path: EvidenceFile, text: string) => manifest.push({ ...(await writer.addText(path, text)), description: described(path) });
    const addLines = async (path: EvidenceFile, lines: AsyncIterable<string> | Iterable<string>) => {
      const spooled = await spoolLines(dir, path, lines);
      manifest.push({ ...(await writer.addSpooled(spooled)), records: spooled.records, description: described(path) });
      await rm(spooled.file, { force: true });
    };
    const addOptional = async (path: EvidenceFile, table: OptionalTable) => {
      if (await readModel.tableExists(table)) await addLines(path, jsonLines(readModel.optionalRows(table, period), (row) => row.row));
      else unavailable.push({ path, reason: UNAVAILABLE_REASONS[path]! });
    };
    try {
      await addText('README.md', readme({ root: meta.root, from: period.from.toISOString(), to: period.to.toISOString(), generatedAt: meta.generatedAt.toISOString(), version: deps.version }));
      await addLines('agents.jsonl', jsonLines(readModel.agents(period)));
      await addLines('agent-lifecycle.jsonl', jsonLines(readModel.lifecycle(period)));
      await addText('policies.json', jsonText(await policiesInForce(period)));
      await addText('decisions-summary.json', jsonText(await decisionsSummary(period)));
      await addLines('violations.jsonl', jsonLines(readModel.violations(period)));
      await addOptional('approvals.jsonl', 'approval');
      await addText('kpis.json', jsonText({ period: { from: period.from.toISOString(), to: period.to.toISOString() }, kpis: await deps.trust.kpisBetween(period.from, period.to) }));
      await addLines('kpi-snapshots.jsonl', jsonLines(readModel.kpiSnapshots(period)));
      await addLines('incidents.jsonl', jsonLines(readModel.incidents(period)));
      await addOptional('remediations.jsonl', 'remediation');
      const verification = await addAuditLog(period, addLines);
      await addText('audit-verification.json', jsonText({ ...verification, whole_chain: await deps.audit.verify() }));
      await addText(
        'manifest.json',
        jsonText({
          format: 'orca-evidence-pack',
          format_version: 1,
          orca_version: deps.version,
          generated_at: meta.generatedAt.toISOString(),
          generated_by: meta.actor,
          period: { from: period.from.toISOString(), to: period.to.toISOString(), bounds: 'from inclusive, to exclusive' },
          files: manifest,
          unavailable,
        }),
      );
      await writer.finish();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async function policiesInForce(period: Period) {
    const { versions, defaultInForceAtStart } = await readModel.policies(period);
    const firstPut = versions[0]?.created_at ?? null;
    const builtIn = defaultInForceAtStart
      ? [{ version: 0, mode: 'enforce', format: 'yaml', source: deps.defaultPolicySource, document: null, created_by: 'orca', created_at: null, superseded_at: firstPut, note: 'the built-in default policy, in force until the first policy document was put' }]
      : [];
    return { period: { from: period.from.toISOString(), to: period.to.toISOString() }, versions: [...builtIn, ...versions] };
  }

  async function decisionsSummary(period: Period) {
    const summary = await readModel.decisionSummary(period);
    return {
      period: { from: period.from.toISOString(), to: period.to.toISOString() },
      recording: {
        allow_sample_rate: deps.allowSampleRate,
        note: 'every decision with a violation is recorded; allows without violations are recorded at allow_sample_rate (POLICY_ALLOW_SAMPLE_RATE), so their counts are a sample when it is below 1',
      },
      totals: summary.totals,
      by_decision: summary.byDecision,
      by_policy_version: summary.byVersion,
      by_classification: summary.byClassification,
      by_action: summary.byAction,
      by_agent: summary.byAgent,
      violations_by_rule: summary.byRule,
    };
  }

  /**
   * The period's audit entries (every sequence number from the first to the last entry written in it, so a clock
   * step between replicas cannot leave a hole) and their verification against the entry before them.
   */
  async function addAuditLog(period: Period, addLines: (path: EvidenceFile, lines: AsyncIterable<string> | Iterable<string>) => Promise<unknown>) {
    const segment = await readModel.auditSegment(period);
    if (!segment) {
      await addLines('audit-log.jsonl', []);
      return { entries: 0, first_seq: null, last_seq: null, anchor: null, valid: true, problem_count: 0, problems: [] as ChainProblem[] };
    }
    const anchor = (await readModel.auditAnchor(segment.first)) ?? { seq: 0, hash: GENESIS_HASH };
    let cursor = anchor;
    let entries = 0;
    let problemCount = 0;
    const problems: ChainProblem[] = [];
    async function* verified(): AsyncGenerator<string> {
      for await (const row of readModel.auditEntries(segment!.first, segment!.last)) {
        const entry = row as unknown as StoredAuditEntry;
        const result = verifyBatch([entry], cursor);
        cursor = result.last;
        entries += 1;
        problemCount += result.problems.length;
        problems.push(...result.problems.slice(0, Math.max(0, MAX_LISTED_PROBLEMS - problems.length)));
        yield JSON.stringify(entry);
      }
    }
    await addLines('audit-log.jsonl', verified());
    return { entries, first_seq: segment.first, last_seq: segment.last, anchor, valid: problemCount === 0, problem_count: problemCount, problems };
  }

  return {
    /**
     * Checks the period (400), records the export in the audit log, and starts streaming the pack: the answer can be
     * sent before the pack is built, and is built only as fast as it is read.
     */
    async export(actor: Actor, period: Period): Promise<EvidenceExport> {
      const generatedAt = deps.clock.now();
      checkPeriod(period, generatedAt, deps.retentionMs);
      await deps.db.transaction((tx) =>
        deps.audit.append(tx, {
          actor: actor.id,
          action: 'evidence.export',
          target: `evidence:${period.from.toISOString()}/${period.to.toISOString()}`,
          before: null,
          after: { from: period.from.toISOString(), to: period.to.toISOString() },
          correlationId: actor.correlationId,
        }),
      );
      const root = `orca-evidence-${compact(period.from)}-${compact(period.to)}`;
      const writer = createTarGzWriter(root, generatedAt);
      const logger = deps.logger.child({ correlation_id: actor.correlationId, period_from: period.from.toISOString(), period_to: period.to.toISOString() });
      const started = performance.now();
      build(writer, period, { root, generatedAt, actor: actor.id }).then(
        () => {
          deps.metrics.pack('completed', (performance.now() - started) / 1000);
          logger.info({ duration_ms: Math.round(performance.now() - started) }, 'evidence pack written');
        },
        (error: unknown) => {
          const gone = writer.output.destroyed;
          deps.metrics.pack(gone ? 'abandoned' : 'failed', (performance.now() - started) / 1000);
          if (gone) logger.info('evidence pack abandoned: the reader went away');
          else logger.error({ err: error }, 'evidence pack failed; the archive was cut short');
          writer.abort(error instanceof Error ? error : new Error(String(error)));
        },
      );
      return { fileName: `${root}.tar.gz`, stream: writer.output };
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
