import { api, ok, type Schemas } from '../api/client.ts';
import { ReasonAction } from '../components/actions.tsx';
import { AgentLink } from '../components/agent-link.tsx';
import { Badge } from '../components/badge.tsx';
import { FilterForm, oneOf, withoutUndefined, type FilterField } from '../components/filter-form.tsx';
import { Pager } from '../components/pager.tsx';
import { Async } from '../components/states.tsx';
import { formatRelative, formatTime } from '../format.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { useCan, useSession } from '../session.ts';
import type { PageProps } from './registry.ts';

type Approval = Schemas['Approval'];
const STATUSES: readonly Approval['status'][] = ['pending', 'approved', 'denied', 'expired'];
const FIELDS: readonly FilterField[] = [{ name: 'status', label: 'Status', kind: 'select', options: STATUSES }];

/** "1 of 2 approvals" and who gave them. */
export function votesOf(approval: Pick<Approval, 'approvals' | 'approvals_required'>): string {
  const given = approval.approvals.length;
  const who = approval.approvals.map((vote) => `${vote.approver} (${vote.via})`).join(', ');
  return `${given} of ${approval.approvals_required} approval${approval.approvals_required === 1 ? '' : 's'}${who ? `: ${who}` : ''}`;
}

/** Decisions are offered in the pending list only (the full list repeats those rows). */
function ApprovalRows({ items, reload, decisions }: { items: Approval[]; reload: () => void; decisions: boolean }) {
  const canDecide = useCan('operator') && decisions;
  const me = useSession().session.key.id;
  return (
    <table>
      <caption class="visually-hidden">Approvals, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Requested</th>
          <th scope="col">Agent and action</th>
          <th scope="col">Why it needs a person</th>
          <th scope="col">Status</th>
          {canDecide && <th scope="col">Decision</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((approval) => (
          <tr>
            <td>
              {formatTime(approval.created_at)}
              <div class="muted">
                by <code>{approval.requested_by}</code>
              </div>
            </td>
            <td>
              <AgentLink id={approval.agent_id} />
              <div>
                <code>{approval.action}</code> on <code>{approval.resource}</code>
              </div>
              <div class="muted">classification {approval.classification}</div>
            </td>
            <td>
              rule <code>{approval.rule}</code>
              {approval.violations.length > 0 && (
                <ul class="plain-list" aria-label="Violations">
                  {approval.violations.map((violation) => (
                    <li>
                      <Badge value={violation.severity} /> {violation.detail}
                    </li>
                  ))}
                </ul>
              )}
            </td>
            <td>
              <Badge value={approval.status} />
              <div class="muted">{votesOf(approval)}</div>
              {approval.status === 'pending' ? (
                <div>
                  expires {formatTime(approval.expires_at)} ({formatRelative(approval.expires_at)})
                </div>
              ) : (
                <div class="muted">
                  {formatTime(approval.decided_at)}
                  {approval.decided_by ? ` by ${approval.decided_by}` : ''}
                  {approval.reason ? `: ${approval.reason}` : ''}
                </div>
              )}
            </td>
            {canDecide && (
              <td>
                {approval.status !== 'pending' ? null : approval.requested_by === me ? (
                  <span class="muted">Your key asked for it: another must decide.</span>
                ) : approval.approvals.some((vote) => vote.approver === me) ? (
                  <span class="muted">You approved; a second approver must decide.</span>
                ) : (
                  <div class="toolbar" role="group" aria-label={`Decide on ${approval.action}`}>
                    <ReasonAction
                      label="Approve"
                      reasonLabel="Why approve?"
                      submit={(reason) => ok(api.POST('/api/v1/approvals/{id}/approve', { params: { path: { id: approval.id } }, body: { reason } }))}
                      onDone={reload}
                    />
                    <ReasonAction
                      label="Deny"
                      reasonLabel="Why deny?"
                      danger
                      submit={(reason) => ok(api.POST('/api/v1/approvals/{id}/deny', { params: { path: { id: approval.id } }, body: { reason } }))}
                      onDone={reload}
                    />
                  </div>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * High-risk actions agents asked to take (docs/approvals.md): the pending ones with their context, to approve or deny
 * with a reason, and every approval filtered by status. The key that asked can never decide (the API refuses it).
 */
export function ApprovalsPage({ query }: PageProps) {
  const status = oneOf(query, 'status', STATUSES);
  const pending = usePagedList((cursor) => ok(api.GET('/api/v1/approvals', { params: { query: { status: 'pending', limit: 20, ...(cursor ? { cursor } : {}) } } })), []);
  const all = usePagedList((cursor) => ok(api.GET('/api/v1/approvals', { params: { query: { ...withoutUndefined({ status }), limit: 20, ...(cursor ? { cursor } : {}) } } })), [status]);
  const reload = () => {
    pending.reload();
    all.reload();
  };
  return (
    <>
      <h1>Approvals</h1>
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading">Waiting for a decision</h2>
        <Async resource={pending.resource} label="pending approvals" retry={pending.reload} isEmpty={(page) => page.items.length === 0} empty="No action waits for an approval.">
          {(page) => <ApprovalRows items={page.items} reload={reload} decisions />}
        </Async>
        <Pager list={pending} label="pending approvals" />
      </section>
      <section aria-labelledby="all-heading">
        <h2 id="all-heading">All approvals</h2>
        <FilterForm id="approvals" path="/approvals" fields={FIELDS} query={query} />
        <Async resource={all.resource} label="approvals" retry={all.reload} isEmpty={(page) => page.items.length === 0} empty="No approval matches this filter.">
          {(page) => <ApprovalRows items={page.items} reload={reload} decisions={false} />}
        </Async>
        <Pager list={all} label="approvals" />
      </section>
    </>
  );
}
