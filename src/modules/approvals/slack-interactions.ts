/**
 * Slack interactivity without I/O: reading a `block_actions` payload (Slack POSTs it as the form field `payload`,
 * JSON), and the messages ORCA answers through its `response_url` — the original message with the outcome in place
 * of the buttons (`replace_original`), or a note only the clicking user sees (`response_type: ephemeral`).
 * The buttons themselves are built with the alert message (receivers/slack-payload.ts).
 */
import secureJson from 'secure-json-parse';

/** The Block Kit ids of ORCA's approval buttons; the block id carries the approval id too. */
export const APPROVE_ACTION_ID = 'orca_approval_approve';
export const DENY_ACTION_ID = 'orca_approval_deny';
export const approvalBlockId = (approvalId: string) => `orca_approval:${approvalId}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Slack user ids: U… or W… (Enterprise Grid), upper-case letters and digits. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;
/** Slack's limit on blocks per message. */
const MAX_BLOCKS = 50;

export type SlackBlockJson = Record<string, unknown>;

export interface ApprovalClick {
  kind: 'click';
  userId: string;
  responseUrl: string;
  verdict: 'approve' | 'deny';
  approvalId: string;
  message: { text: string; blocks: SlackBlockJson[] } | undefined;
}

export type Interaction = ApprovalClick | { kind: 'ignored'; why: string } | { kind: 'malformed'; why: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The click on an ORCA approval button in a verified request body (`application/x-www-form-urlencoded`). */
export function readInteraction(body: Buffer): Interaction {
  const field = new URLSearchParams(body.toString('utf8')).get('payload');
  if (field === null) return { kind: 'malformed', why: 'the body has no payload field' };
  let payload: unknown;
  try {
    payload = secureJson.parse(field, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    return { kind: 'malformed', why: 'the payload field is not JSON' };
  }
  if (!isObject(payload)) return { kind: 'malformed', why: 'the payload is not an object' };
  if (payload.type !== 'block_actions') return { kind: 'ignored', why: `interactions of type ${String(payload.type).slice(0, 40)} are not ORCA's` };
  const actions = Array.isArray(payload.actions) ? payload.actions.filter(isObject) : [];
  const action = actions.find((candidate) => candidate.action_id === APPROVE_ACTION_ID || candidate.action_id === DENY_ACTION_ID);
  if (!action) return { kind: 'ignored', why: 'no ORCA approval button was clicked' };
  const user = isObject(payload.user) ? payload.user : {};
  const userId = typeof user.id === 'string' ? user.id : '';
  const responseUrl = typeof payload.response_url === 'string' ? payload.response_url : '';
  const approvalId = typeof action.value === 'string' ? action.value.toLowerCase() : '';
  if (!SLACK_USER_ID.test(userId)) return { kind: 'malformed', why: 'user.id is not a Slack user id' };
  // Slack's own URL (hooks.slack.com): still called through the outbound client, whose SSRF guard checks it.
  if (!/^https?:\/\/[^\s]+$/.test(responseUrl) || responseUrl.length > 2048) return { kind: 'malformed', why: 'response_url is not an http(s) URL' };
  if (!UUID.test(approvalId)) return { kind: 'malformed', why: 'the button does not carry an approval id' };
  const message = isObject(payload.message) ? payload.message : undefined;
  return {
    kind: 'click',
    userId,
    responseUrl,
    verdict: action.action_id === APPROVE_ACTION_ID ? 'approve' : 'deny',
    approvalId,
    message: message
      ? { text: typeof message.text === 'string' ? message.text : '', blocks: (Array.isArray(message.blocks) ? message.blocks.filter(isObject) : []).slice(0, MAX_BLOCKS) }
      : undefined,
  };
}

const context = (text: string): SlackBlockJson => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/**
 * The original message with the outcome of `approvalId`: its buttons replaced by a line saying who decided, or —
 * while a second approver is still needed — the buttons kept and that line added below them.
 */
export function updatedMessage(click: ApprovalClick, outcome: string, decided: boolean): { replace_original: true; text: string; blocks?: SlackBlockJson[] } {
  const blocks = click.message?.blocks ?? [];
  if (blocks.length === 0) return { replace_original: true, text: outcome };
  const ours = (block: SlackBlockJson) => block.type === 'actions' && block.block_id === approvalBlockId(click.approvalId);
  const updated = blocks.flatMap((block) => (ours(block) ? (decided ? [context(outcome)] : [block, context(outcome)]) : [block]));
  if (!blocks.some(ours)) updated.push(context(outcome));
  return { replace_original: true, text: click.message?.text || outcome, blocks: updated.slice(0, MAX_BLOCKS) };
}

/** A note to the clicking user only; the message stays as it was. */
export function ephemeral(text: string): { response_type: 'ephemeral'; replace_original: false; text: string } {
  return { response_type: 'ephemeral', replace_original: false, text };
}

/** What a decision reads like in the message, e.g. ":white_check_mark: Approved by <@U024BE7LH>". */
export function outcomeLine(status: string, userId: string, approvals: number, required: number): string {
  if (status === 'approved') return `:white_check_mark: Approved by <@${userId}>`;
  if (status === 'denied') return `:no_entry: Denied by <@${userId}>`;
  return `:hourglass_flowing_sand: Approved by <@${userId}> (${approvals} of ${required} approvals): one more approver is needed`;
}
