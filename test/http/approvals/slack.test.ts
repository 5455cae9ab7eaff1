import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { startTestReceiver, type TestReceiver } from '../../helpers/http-receiver.js';
import { APPROVALS_ENV, askTransfer, createKey, readApproval, registerPayer } from './fixtures.js';

/**
 * Approve and Deny from Slack, end to end: an approval_requested alert is delivered to a Slack receiver (a local
 * server standing in for the incoming webhook) with buttons; clicks come back to the interactivity endpoint signed
 * exactly as Slack signs them (v0, HMAC-SHA256 of "v0:{timestamp}:{body}" with the app's signing secret); the message
 * is updated through the interaction's response_url (another local server). Forged and replayed requests are refused.
 */
const SIGNING_SECRET = randomBytes(16).toString('hex');
/** Key ids the Slack users are mapped to (configuration is read at start-up; the keys are created to match). */
const OPERATOR_KEY = randomUUID();
const ASKING_ADMIN_KEY = randomUUID();
const VIEWER_KEY = randomUUID();
const SLACK_ENV = {
  ...APPROVALS_ENV,
  APPROVALS_SLACK_SIGNING_SECRET: SIGNING_SECRET,
  APPROVALS_SLACK_APPROVERS: `U0OPERATOR=${OPERATOR_KEY},U0ASKER=${ASKING_ADMIN_KEY},U0VIEWER=${VIEWER_KEY}`,
};

type Block = Record<string, unknown> & { type: string; block_id?: string };

function signed(body: string, timestamp = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

for (const target of databaseTargets) {
  describe(`approvals from Slack [${target.name}]`, () => {
    let t: TestApp;
    let slack: TestReceiver;
    let responses: TestReceiver;
    let agent: string;
    let asker: Record<string, string>;

    beforeAll(async () => {
      slack = await startTestReceiver();
      responses = await startTestReceiver();
      t = await createTestApp(target, SLACK_ENV);
      agent = await registerPayer(t);
      // Keys with the ids the mapping names.
      for (const [role, id] of [['operator', OPERATOR_KEY], ['admin', ASKING_ADMIN_KEY], ['viewer', VIEWER_KEY]] as const) {
        const key = await createKey(t, role);
        await t.container.db.query('update api_key set id = $2 where id = $1', [key.id, id]);
        if (role === 'admin') asker = key.headers;
      }
      const receiver = await t.app.inject({ method: 'POST', url: '/api/v1/receivers', headers: t.as('admin'), payload: { name: 'slack-approvals', kind: 'slack', url: slack.url('/services/T000/B000/XXXX') } });
      expect(receiver.statusCode).toBe(201);
      const rules = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/alert-rules',
        headers: t.as('operator'),
        payload: {
          rules: [
            {
              name: 'approval-requested',
              kind: 'approval_requested',
              severity: 'warning',
              annotations: { summary: '{{ agent_name }} asks to {{ action }} {{ resource }}', approval_url: '{{ approval_url }}' },
            },
          ],
          route: { receiver: 'slack-approvals', group_by: ['alertname', 'approval_id'], group_wait: '0s', group_interval: '1s', repeat_interval: '4h' },
        },
      });
      expect(rules.statusCode).toBe(200);
    });
    afterAll(async () => {
      await t?.close();
      await slack?.close();
      await responses?.close();
    });

    /** The Slack message of the approval's alert, as the receiver delivered it. */
    async function messageOf(approvalId: string): Promise<{ text: string; blocks: Block[] }> {
      for (;;) {
        await t.container.modules.alerts.evaluate('slack-test');
        const found = slack.requests
          .map((request) => JSON.parse(request.body) as { text: string; blocks: Block[] })
          .find((message) => message.blocks.some((block) => block.block_id === `orca_approval:${approvalId}`));
        if (found) return found;
        await slack.received(slack.requests.length + 1);
      }
    }

    /** A block_actions payload as Slack sends it when `user` clicks `actionId` on `message`. */
    function click(user: string, actionId: 'orca_approval_approve' | 'orca_approval_deny', approvalId: string, message: { text: string; blocks: Block[] }) {
      const payload = {
        type: 'block_actions',
        user: { id: user, username: user.toLowerCase(), team_id: 'T000' },
        api_app_id: 'A000',
        token: 'legacy-verification-token',
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C000', is_ephemeral: false },
        trigger_id: '1.2.3',
        team: { id: 'T000', domain: 'example' },
        channel: { id: 'C000', name: 'approvals' },
        message: { type: 'message', ts: '1700000000.000100', ...message },
        response_url: responses.url(`/actions/T000/${randomBytes(3).toString('hex')}`),
        actions: [{ action_id: actionId, block_id: `orca_approval:${approvalId}`, value: approvalId, type: 'button', action_ts: '1700000001.000200' }],
      };
      return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    }

    const post = (body: string, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/integrations/slack/interactions', headers, payload: body });

    /** The next message posted to a response_url. */
    async function nextResponse(): Promise<Record<string, unknown>> {
      const seen = responses.requests.length;
      await responses.received(seen + 1);
      return JSON.parse(responses.requests[seen]!.body) as Record<string, unknown>;
    }

    it('delivers the pending approval to Slack with Approve and Deny buttons', async () => {
      const id = (await askTransfer(t, agent)).body.approval!.id;
      const message = await messageOf(id);
      const actions = message.blocks.find((block) => block.type === 'actions');
      expect(actions).toMatchObject({ block_id: `orca_approval:${id}`, elements: [{ action_id: 'orca_approval_approve', value: id }, { action_id: 'orca_approval_deny', value: id }] });
      expect(JSON.stringify(message.blocks)).toContain(`/api/v1/approvals/${id}|Open approval>`);
    });

    it('refuses forged, replayed and unsigned requests with 401, and changes nothing', async () => {
      const id = (await askTransfer(t, agent)).body.approval!.id;
      const body = click('U0OPERATOR', 'orca_approval_approve', id, await messageOf(id));
      const forged = await post(body, signed(body, undefined, 'not-the-signing-secret'));
      expect(forged.statusCode).toBe(401);
      expect(forged.json()).toMatchObject({ detail: 'the Slack request did not verify (bad_signature)' });
      const tampered = await post(body.replace('orca_approval_approve', 'orca_approval_deny'), signed(body));
      expect(tampered.statusCode).toBe(401);
      // Signed correctly, six minutes ago: a replay.
      const replayed = await post(body, signed(body, Math.floor(Date.now() / 1000) - 360));
      expect(replayed.statusCode).toBe(401);
      expect(replayed.json()).toMatchObject({ detail: 'the Slack request did not verify (stale_timestamp)' });
      const unsigned = await post(body, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(unsigned.statusCode).toBe(401);
      expect((await readApproval(t, id)).body).toMatchObject({ status: 'pending', approvals: [] });
    });

    it('refuses unmapped users, the key that asked and keys that may not decide: told in Slack, nothing changes', async () => {
      const id = (await askTransfer(t, agent, {}, asker)).body.approval!.id;
      const message = await messageOf(id);
      for (const [user, expected] of [
        ['U0STRANGER', 'You are not an ORCA approver: an ORCA administrator maps Slack users to operator keys (APPROVALS_SLACK_APPROVERS).'],
        ['U0ASKER', `the API key that asked for approval ${id} cannot decide it.`],
        ['U0VIEWER', 'the ORCA API key mapped to your Slack user is a viewer key; deciding needs an operator key.'],
      ] as const) {
        const body = click(user, 'orca_approval_approve', id, message);
        const response = await post(body, signed(body));
        expect(response.statusCode, user).toBe(200);
        expect(await nextResponse()).toEqual({ response_type: 'ephemeral', replace_original: false, text: expected });
      }
      expect((await readApproval(t, id)).body).toMatchObject({ status: 'pending', approvals: [] });
    });

    it('a mapped operator approves from Slack: the decision is taken as their key, the message shows it', async () => {
      const id = (await askTransfer(t, agent)).body.approval!.id;
      const message = await messageOf(id);
      const body = click('U0OPERATOR', 'orca_approval_approve', id, message);
      const response = await post(body, signed(body));
      expect(response.statusCode).toBe(200);
      const approval = (await readApproval(t, id)).body;
      expect(approval).toMatchObject({ status: 'approved', decided_by: OPERATOR_KEY, reason: 'approved in Slack by U0OPERATOR', approvals: [{ approver: OPERATOR_KEY, via: 'slack' }] });
      const update = await nextResponse();
      expect(update).toMatchObject({ replace_original: true, text: message.text });
      const blocks = update.blocks as Block[];
      expect(blocks.some((block) => block.type === 'actions')).toBe(false);
      expect(blocks).toContainEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: ':white_check_mark: Approved by <@U0OPERATOR>' }] });
      expect(blocks.filter((block) => block.type !== 'context')).toEqual(message.blocks.filter((block) => block.type !== 'context' && block.type !== 'actions'));

      // A second click on the same message: already decided.
      const again = await post(body, signed(body));
      expect(again.statusCode).toBe(200);
      expect((await nextResponse()).text).toMatch(new RegExp(`^approval ${id} was already approved at `));
      // The agent proceeds with it, once.
      expect((await askTransfer(t, agent, { approval_id: id })).body.decision).toBe('allow');
    });

    it('a mapped operator denies from Slack', async () => {
      const id = (await askTransfer(t, agent)).body.approval!.id;
      const body = click('U0OPERATOR', 'orca_approval_deny', id, await messageOf(id));
      expect((await post(body, signed(body))).statusCode).toBe(200);
      expect((await readApproval(t, id)).body).toMatchObject({ status: 'denied', decided_by: OPERATOR_KEY, reason: 'denied in Slack by U0OPERATOR' });
      expect((await nextResponse()).blocks as Block[]).toContainEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: ':no_entry: Denied by <@U0OPERATOR>' }] });
    });

    it('answers 400 to a verified request that is not an interaction, and 200 to interactions that are not ORCA buttons', async () => {
      const garbage = 'hello=world';
      expect((await post(garbage, signed(garbage))).statusCode).toBe(400);
      const other = `payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission', user: { id: 'U0OPERATOR' } }))}`;
      expect((await post(other, signed(other))).statusCode).toBe(200);
    });
  });
}
