/** Scheduled reports and evidence packs (docs/reports.md, docs/evidence.md). */
import { durationBetween, type Setting } from '../parsers.js';

export const REPORTS_SETTINGS = [
  {
    env: 'REPORT_SCHEDULE_CHECK_INTERVAL',
    key: 'reportScheduleCheckIntervalMs',
    default: '15s',
    description:
      'how often a worker looks for report schedules whose next run is due (once per interval across replicas); a run starts at most this long after its cron time; whole seconds (rounded up), 1s to 1h',
    parse: durationBetween(1000, '1s', 3_600_000, '1h'),
  },
  {
    env: 'EVIDENCE_RETENTION',
    key: 'evidenceRetentionMs',
    default: '730d',
    description:
      'how far back an evidence pack may reach (docs/evidence.md): a period starting more than this long ago is refused with 400, because records older than the retention an organisation keeps are not evidence it can stand behind; 1d to 3650d',
    parse: durationBetween(86_400_000, '1d', 3650 * 86_400_000, '3650d'),
  },
] as const satisfies readonly Setting[];
