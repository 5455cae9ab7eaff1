/**
 * The notification a scheduled report becomes for one receiver. It carries the report whole (webhook receivers get
 * it in their envelope) and one informational alert with the headline figures and a link back to ORCA (what a Slack
 * message shows): the receivers module delivers it like any notification, with retries and dead letters.
 */
import { newId } from '../../platform/ids.js';
import type { Notification, ReportAttachment } from '../receivers/index.js';

export interface ReportHandover {
  schedule: { id: string; name: string; kind: string; window: string; format: ReportAttachment['format'] };
  runId: string;
  scheduledFor: Date;
  title: string;
  summary: string[];
  link: string;
  rendered: { mediaType: string; text: string; sha256: string };
  generatedAt: string;
}

export function reportNotification(receiverName: string, handover: ReportHandover, correlationId: string): Notification {
  const { schedule } = handover;
  const scheduledFor = handover.scheduledFor.toISOString();
  return {
    id: newId(),
    kind: 'report',
    receiver: receiverName,
    groupKey: `report-schedule:${schedule.id}`,
    groupLabels: { alertname: 'OrcaScheduledReport', schedule: schedule.name },
    status: 'firing',
    alerts: [
      {
        fingerprint: `report-run:${handover.runId}`,
        status: 'firing',
        labels: { alertname: 'OrcaScheduledReport', severity: 'info', report_kind: schedule.kind, schedule: schedule.name },
        annotations: { summary: `${handover.title} (${schedule.window}): ${schedule.name}`, description: handover.summary.join('\n') },
        startsAt: scheduledFor,
        endsAt: null,
        generatorURL: handover.link,
      },
    ],
    correlationId,
    report: {
      schedule: { id: schedule.id, name: schedule.name },
      runId: handover.runId,
      scheduledFor,
      kind: schedule.kind,
      format: schedule.format,
      window: schedule.window,
      mediaType: handover.rendered.mediaType,
      generatedAt: handover.generatedAt,
      sha256: handover.rendered.sha256,
      content: handover.rendered.text,
    },
  };
}
