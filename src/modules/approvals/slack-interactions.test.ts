import { describe, expect, it } from 'vitest';
import { slackPayload } from '../receivers/slack-payload.js';
import { APPROVE_ACTION_ID, DENY_ACTION_ID, approvalBlockId, ephemeral, outcomeLine, readInteraction, updatedMessage, type ApprovalClick } from './slack-interactions.js';

const APPROVAL = '0190b3c2-0000-7000-8000-00000000abcd';
const form = (payload: unknown) => Buffer.from(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

/** A block_actions payload as Slack sends it for a click on a message button (trimmed to what ORCA reads, plus noise). */
function clickPayload(actionId: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'block_actions',
    user: { id: 'U024BE7LH', username: 'ana', team_id: 'T0001' },
    api_app_id: 'A0001',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0001' },
    trigger_id: '1.2.3',
    channel: { id: 'C0001', name: 'approvals' },
    message: {
      type: 'message',
      text: '[FIRING] approval-requested',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[FIRING] approval-requested' } },
        { type: 'actions', block_id: approvalBlockId(APPROVAL), elements: [] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'since …' }] },
      ],
    },
    response_url: 'https://hooks.slack.com/actions/T0001/1/abc',
    actions: [{ action_id: actionId, block_id: approvalBlockId(APPROVAL), value: APPROVAL, type: 'button', action_ts: '1700000001.0001' }],
    ...overrides,
  };
}

describe('reading Slack interactions', () => {
  it('reads a click on Approve or Deny', () => {
    const approve = readInteraction(form(clickPayload(APPROVE_ACTION_ID)));
    expect(approve).toMatchObject({ kind: 'click', userId: 'U024BE7LH', verdict: 'approve', approvalId: APPROVAL, responseUrl: 'https://hooks.slack.com/actions/T0001/1/abc' });
    expect(readInteraction(form(clickPayload(DENY_ACTION_ID)))).toMatchObject({ kind: 'click', verdict: 'deny' });
  });

  it("ignores interactions that are not ORCA's, and calls malformed ones malformed", () => {
    expect(readInteraction(form({ type: 'view_submission' }))).toMatchObject({ kind: 'ignored' });
    expect(readInteraction(form(clickPayload('someone_elses_button')))).toMatchObject({ kind: 'ignored' });
    expect(readInteraction(Buffer.from('token=1'))).toMatchObject({ kind: 'malformed', why: 'the body has no payload field' });
    expect(readInteraction(Buffer.from('payload=%7Bnot-json'))).toMatchObject({ kind: 'malformed', why: 'the payload field is not JSON' });
    expect(readInteraction(Buffer.from(`payload=${encodeURIComponent('{"__proto__":{"x":1}}')}`))).toMatchObject({ kind: 'malformed' });
    expect(readInteraction(form(clickPayload(APPROVE_ACTION_ID, { user: { id: 'not-a-user' } })))).toMatchObject({ kind: 'malformed', why: 'user.id is not a Slack user id' });
    expect(readInteraction(form(clickPayload(APPROVE_ACTION_ID, { response_url: 'file:///etc/passwd' })))).toMatchObject({ kind: 'malformed' });
    expect(readInteraction(form(clickPayload(APPROVE_ACTION_ID, { actions: [{ action_id: APPROVE_ACTION_ID, value: 'drop table' }] })))).toMatchObject({ kind: 'malformed' });
  });

  it('replaces the buttons of the decided approval with its outcome, keeps them while a second approver is needed', () => {
    const click = readInteraction(form(clickPayload(APPROVE_ACTION_ID))) as ApprovalClick;
    const decided = updatedMessage(click, outcomeLine('approved', 'U024BE7LH', 1, 1), true);
    expect(decided).toEqual({
      replace_original: true,
      text: '[FIRING] approval-requested',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[FIRING] approval-requested' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: ':white_check_mark: Approved by <@U024BE7LH>' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'since …' }] },
      ],
    });
    const vote = updatedMessage(click, outcomeLine('pending', 'U024BE7LH', 1, 2), false);
    expect(vote.blocks?.map((block) => block.type)).toEqual(['header', 'actions', 'context', 'context']);
    expect(vote.blocks?.[2]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: ':hourglass_flowing_sand: Approved by <@U024BE7LH> (1 of 2 approvals): one more approver is needed' }] });
    expect(updatedMessage({ ...click, message: undefined }, outcomeLine('denied', 'U024BE7LH', 0, 1), true)).toEqual({ replace_original: true, text: ':no_entry: Denied by <@U024BE7LH>' });
    expect(ephemeral('no')).toEqual({ response_type: 'ephemeral', replace_original: false, text: 'no' });
  });
});

describe('approval buttons in the Slack receiver message', () => {
  const alert = (status: 'firing' | 'resolved', labels: Record<string, string>) => ({
    fingerprint: 'f1',
    status,
    labels: { alertname: 'approval-requested', severity: 'warning', ...labels },
    annotations: { summary: 'agent asks to transfer_funds', approval_url: `http://127.0.0.1:3000/api/v1/approvals/${APPROVAL}` },
    startsAt: '2026-01-01T00:00:00.000Z',
    endsAt: status === 'resolved' ? '2026-01-01T00:05:00.000Z' : null,
    generatorURL: 'http://127.0.0.1:3000/api/v1/alerts?fingerprint=f1',
  });
  const notification = (alerts: ReturnType<typeof alert>[]) => ({
    id: 'n1',
    kind: 'alert' as const,
    receiver: 'slack',
    groupKey: 'g',
    groupLabels: { alertname: 'approval-requested' },
    status: alerts.some((item) => item.status === 'firing') ? ('firing' as const) : ('resolved' as const),
    alerts,
    correlationId: undefined,
  });

  it('carries Approve and Deny buttons whose ids the interactivity endpoint reads, and a link to the approval', () => {
    const message = slackPayload(notification([alert('firing', { approval_id: APPROVAL })]));
    const actions = message.blocks.find((block) => block.type === 'actions');
    expect(actions).toEqual({
      type: 'actions',
      block_id: approvalBlockId(APPROVAL),
      elements: [
        { type: 'button', action_id: APPROVE_ACTION_ID, text: { type: 'plain_text', text: 'Approve' }, value: APPROVAL, style: 'primary' },
        { type: 'button', action_id: DENY_ACTION_ID, text: { type: 'plain_text', text: 'Deny' }, value: APPROVAL, style: 'danger' },
      ],
    });
    expect(JSON.stringify(message.blocks)).toContain(`<http://127.0.0.1:3000/api/v1/approvals/${APPROVAL}|Open approval>`);
  });

  it('has no buttons once the approval is decided (the alert resolved), nor on other alerts', () => {
    expect(slackPayload(notification([alert('resolved', { approval_id: APPROVAL })])).blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(slackPayload(notification([alert('firing', {})])).blocks.some((block) => block.type === 'actions')).toBe(false);
  });
});
