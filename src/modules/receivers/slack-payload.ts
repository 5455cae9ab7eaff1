import type { AlertInstance, Notification } from './notification.js';

/** Slack allows 50 blocks per message; each alert takes two (three with approval buttons), so the rest is summarised in one line. */
const MAX_ALERTS_SHOWN = 10;
const HEADER_LIMIT = 150;
const TEXT_LIMIT = 2900;
const SEVERITY_MARK: Record<string, string> = { critical: ':red_circle:', high: ':large_orange_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' };

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string };
interface SlackButton {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string };
  value: string;
  style: 'primary' | 'danger';
}
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'actions'; block_id: string; elements: SlackButton[] }
  | { type: 'divider' };

/**
 * The Approve and Deny buttons of a pending approval (docs/approvals.md "Slack"). A click reaches ORCA's Slack
 * interactivity endpoint (modules/approvals), which knows these ids; the value is the approval's id.
 */
const APPROVE_ACTION_ID = 'orca_approval_approve';
const DENY_ACTION_ID = 'orca_approval_deny';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function approvalButtons(approvalId: string): SlackBlock {
  return {
    type: 'actions',
    block_id: `orca_approval:${approvalId}`,
    elements: [
      { type: 'button', action_id: APPROVE_ACTION_ID, text: { type: 'plain_text', text: 'Approve' }, value: approvalId, style: 'primary' },
      { type: 'button', action_id: DENY_ACTION_ID, text: { type: 'plain_text', text: 'Deny' }, value: approvalId, style: 'danger' },
    ],
  };
}

export interface SlackMessage {
  /** The fallback shown in notifications and by clients that do not render blocks. */
  text: string;
  blocks: SlackBlock[];
}

/** Slack's mrkdwn gives `&`, `<` and `>` meaning: label values and annotations are escaped, never interpreted. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** A link only for http(s) URLs, with the characters that would end Slack's `<url|label>` syntax encoded. */
function link(url: string | undefined, label: string): string | undefined {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  return `<${url.replace(/[<>|]/g, (c) => encodeURIComponent(c))}|${label}>`;
}

function alertBlocks(alert: AlertInstance): SlackBlock[] {
  const { labels, annotations } = alert;
  const severity = labels.severity ?? 'none';
  const agent = labels.agent_name ?? labels.agent_id;
  const title = annotations.summary ?? labels.alertname ?? 'alert';
  const description = annotations.description ? `\n${escape(annotations.description)}` : '';
  const fields: TextObject[] = [
    { type: 'mrkdwn', text: `*Severity*\n${SEVERITY_MARK[severity] ?? ''} ${escape(severity)}`.trim() },
    { type: 'mrkdwn', text: `*Status*\n${alert.status}` },
  ];
  if (agent) fields.push({ type: 'mrkdwn', text: `*Agent*\n${escape(truncate(agent, 200))}` });
  if (labels.alertname) fields.push({ type: 'mrkdwn', text: `*Rule*\n${escape(truncate(labels.alertname, 200))}` });
  const links = [link(alert.generatorURL, 'Open in ORCA'), link(annotations.approval_url, 'Open approval'), link(annotations.runbook_url, 'Runbook')].filter(
    (value): value is string => value !== undefined,
  );
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: truncate(`*${escape(title)}*${description}`, TEXT_LIMIT) }, fields }];
  const since = alert.status === 'resolved' && alert.endsAt ? `resolved ${alert.endsAt}` : `since ${alert.startsAt}`;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: [...links, since].join(' · ') }] });
  // A pending approval (an approval_requested alert) can be decided from the message itself.
  if (alert.status === 'firing' && labels.approval_id !== undefined && UUID.test(labels.approval_id)) blocks.push(approvalButtons(labels.approval_id.toLowerCase()));
  return blocks;
}

/**
 * A Slack incoming-webhook message: a header with the status and the group's alert name, then per alert its
 * summary, severity, agent and rule, and links back to ORCA and to the runbook.
 */
export function slackPayload(notification: Notification): SlackMessage {
  if (notification.kind === 'report') return reportMessage(notification);
  const firing = notification.alerts.filter((alert) => alert.status === 'firing').length;
  const name = notification.groupLabels.alertname ?? notification.alerts[0]?.labels.alertname ?? 'ORCA alert';
  const state = notification.status === 'firing' ? `FIRING${notification.alerts.length > 1 ? `:${firing}` : ''}` : 'RESOLVED';
  const heading = notification.kind === 'test' ? 'ORCA test notification' : `${notification.status === 'firing' ? ':rotating_light:' : ':white_check_mark:'} [${state}] ${name}`;
  const firstSummary = notification.alerts[0]?.annotations.summary;
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(heading, HEADER_LIMIT) } }];
  for (const alert of notification.alerts.slice(0, MAX_ALERTS_SHOWN)) blocks.push(...alertBlocks(alert));
  const hidden = notification.alerts.length - MAX_ALERTS_SHOWN;
  if (hidden > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${hidden} more alert${hidden === 1 ? '' : 's'} in this group` }] });
  return { text: truncate(firstSummary ? `${heading}: ${firstSummary}` : heading, TEXT_LIMIT), blocks };
}

/**
 * A scheduled report: Slack incoming webhooks take no files, so the message carries the report's headline figures
 * (its one alert's description) and a link to the report in ORCA.
 */
function reportMessage(notification: Notification): SlackMessage {
  const alert = notification.alerts[0];
  const heading = truncate(`:bar_chart: ${alert?.annotations.summary ?? 'ORCA report'}`, HEADER_LIMIT);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: heading } }];
  if (alert?.annotations.description) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(escape(alert.annotations.description), TEXT_LIMIT) } });
  const context = [link(alert?.generatorURL, 'Open in ORCA'), notification.report ? `scheduled for ${notification.report.scheduledFor}` : undefined].filter((value): value is string => value !== undefined);
  if (context.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  return { text: heading, blocks };
}
