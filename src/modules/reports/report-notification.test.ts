import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { slackPayload } from '../receivers/slack-payload.js';
import { webhookPayload } from '../receivers/webhook-payload.js';
import { reportNotification, type ReportHandover } from './report-notification.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function handover(format: 'json' | 'md', text: string): ReportHandover {
  return {
    schedule: { id: 'sched-1', name: 'Monday <summary>', kind: 'executive', window: '7d', format },
    runId: 'run-1',
    scheduledFor: new Date('2026-03-02T07:00:00.000Z'),
    title: 'Executive summary',
    summary: ['Trust Score: 82.0 (good)', 'Compliance SLA %: 99.60 % (excellent)'],
    link: 'http://127.0.0.1:3000/api/v1/reports/executive?window=7d&format=json',
    rendered: { mediaType: format === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8', text, sha256: sha256(text) },
    generatedAt: '2026-03-02T07:00:03.000Z',
  };
}

describe('a scheduled report as a notification', () => {
  it('reaches a webhook receiver whole: a JSON report as the object, its keys in the order its digest covers', () => {
    // Keys deliberately not in the order jsonb would store them: the envelope must keep this order.
    const text = JSON.stringify({ window: '7d', kpis: { trust_score: { value: 82 }, roi: { value: null } }, active_agents: 3 });
    const notification = reportNotification('reports-hook', handover('json', text), 'corr-1');
    const stored = JSON.parse(JSON.stringify(notification)) as typeof notification;
    const envelope = webhookPayload(stored);
    expect(envelope).toEqual({
      type: 'orca.report',
      version: 1,
      id: notification.id,
      receiver: 'reports-hook',
      schedule: { id: 'sched-1', name: 'Monday <summary>' },
      run_id: 'run-1',
      scheduled_for: '2026-03-02T07:00:00.000Z',
      report: {
        kind: 'executive',
        format: 'json',
        window: '7d',
        media_type: 'application/json; charset=utf-8',
        generated_at: '2026-03-02T07:00:03.000Z',
        sha256: sha256(text),
        content: JSON.parse(text),
      },
      correlation_id: 'corr-1',
    });
    expect(JSON.stringify((envelope as { report: { content: unknown } }).report.content)).toBe(text);
  });

  it('carries a Markdown report as text', () => {
    const envelope = webhookPayload(reportNotification('reports-hook', handover('md', '# ORCA executive summary\n'), 'corr-1')) as { report: { content: unknown } };
    expect(envelope.report.content).toBe('# ORCA executive summary\n');
  });

  it('becomes a Slack message with the title, the headline figures escaped, and a link back to ORCA', () => {
    const message = slackPayload(reportNotification('reports-slack', handover('json', '{}'), 'corr-1'));
    expect(message).toEqual({
      text: ':bar_chart: Executive summary (7d): Monday <summary>',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':bar_chart: Executive summary (7d): Monday <summary>' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Trust Score: 82.0 (good)\nCompliance SLA %: 99.60 % (excellent)' } },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: '<http://127.0.0.1:3000/api/v1/reports/executive?window=7d&format=json|Open in ORCA> · scheduled for 2026-03-02T07:00:00.000Z' }],
        },
      ],
    });
  });
});
