import { api, ok, type Schemas } from '../api/client.ts';
import { ReasonAction } from '../components/actions.tsx';
import { Badge } from '../components/badge.tsx';
import { Pager } from '../components/pager.tsx';
import { Async } from '../components/states.tsx';
import { formatTime } from '../format.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { useResource } from '../hooks/use-resource.ts';
import { followLink, href } from '../router.ts';
import { useCan } from '../session.ts';

type AgentEvent = Schemas['AgentEvent'];
type Agent = Schemas['Agent'];
type ReviewStatus = 'quarantined' | 'needs_review';

/** Why the agent waits: the history entry that moved it into its status, and how its definition changed there. */
export interface ReviewCause {
  event: AgentEvent;
  /** The fingerprint before and at that entry; null when the entry carried none (a plain status change). */
  fingerprint: { from: string | null; to: string } | null;
  /** What changed, one line each, from the entry's `changes` (discovery records them for definition changes). */
  changes: string[];
}

/** One recorded definition change as a line a reviewer reads (docs/discovery.md "The review workflow"). */
export function describeChange(change: Record<string, unknown>): string {
  const text = (value: unknown) => (value === null || value === undefined ? 'none' : String(value));
  switch (change.change) {
    case 'tool_added':
      return `tool added: ${text(change.tool)}`;
    case 'tool_removed':
      return `tool removed: ${text(change.tool)}`;
    case 'tool_description_changed':
      return `tool description changed: ${text(change.tool)}`;
    case 'tool_input_schema_changed':
      return `tool input schema changed: ${text(change.tool)}`;
    case 'prompt_changed':
      return 'prompt changed';
    case 'model_changed':
      return `model: ${text(change.from)} → ${text(change.to)}`;
    case 'config_changed':
      return `config changed: ${Array.isArray(change.keys) ? change.keys.join(', ') : 'some keys'}`;
    default:
      return JSON.stringify(change);
  }
}

/**
 * The latest entry of an agent's history (oldest first) that moved it into `status`, with the fingerprint it had
 * before (carried by the latest earlier entry that had one). Undefined when no entry did (history not recorded).
 */
export function reviewCause(status: string, events: readonly AgentEvent[]): ReviewCause | undefined {
  const ordered = [...events].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  let index = -1;
  for (let at = ordered.length - 1; at >= 0; at--) {
    const event = ordered[at]!;
    if (event.to_status === status && event.from_status !== status) {
      index = at;
      break;
    }
  }
  if (index < 0) return undefined;
  const event = ordered[index]!;
  let previous: string | null = null;
  for (let at = index - 1; at >= 0; at--) {
    const fingerprint = ordered[at]!.fingerprint;
    if (fingerprint !== null) {
      previous = fingerprint;
      break;
    }
  }
  return {
    event,
    fingerprint: event.fingerprint === null ? null : { from: previous, to: event.fingerprint },
    changes: (event.changes ?? []).map(describeChange),
  };
}

/** The history pages an agent has, read through its cursors (bounded: a queue entry needs the recent story only). */
const HISTORY_PAGES = 5;
async function wholeHistory(id: string): Promise<{ events: AgentEvent[]; complete: boolean }> {
  const events: AgentEvent[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const result = await ok(api.GET('/api/v1/agents/{id}/history', { params: { path: { id }, query: { limit: 200, ...(cursor ? { cursor } : {}) } } }));
    events.push(...result.items);
    if (result.next_cursor === null) return { events, complete: true };
    cursor = result.next_cursor;
  }
  return { events, complete: false };
}

const short = (fingerprint: string | null) => (fingerprint ? fingerprint.slice(0, 12) : 'none');

function Cause({ agent }: { agent: Agent }) {
  const [history, reload] = useResource(() => wholeHistory(agent.id), [agent.id, agent.status]);
  return (
    <Async resource={history} label="why it waits" retry={reload}>
      {({ events }) => {
        const cause = reviewCause(agent.status, events);
        if (!cause) return <p class="muted">No history entry records how it got here.</p>;
        return (
          <div class="review-cause">
            <p>
              <strong>{cause.event.action.replace(/_/g, ' ')}</strong> {formatTime(cause.event.at)} by <code>{cause.event.actor}</code>
              {cause.event.reason ? `: ${cause.event.reason}` : ''}
            </p>
            {cause.fingerprint && (
              <p>
                Fingerprint <code>{`${short(cause.fingerprint.from)} → ${short(cause.fingerprint.to)}`}</code>
              </p>
            )}
            {cause.changes.length > 0 && (
              <ul class="plain-list" aria-label="What changed">
                {cause.changes.map((line) => (
                  <li>{line}</li>
                ))}
              </ul>
            )}
          </div>
        );
      }}
    </Async>
  );
}

function ReviewList({ status, title, empty }: { status: ReviewStatus; title: string; empty: string }) {
  const canDecide = useCan('operator');
  const list = usePagedList((cursor) => ok(api.GET('/api/v1/agents', { params: { query: { status, limit: 10, ...(cursor ? { cursor } : {}) } } })), [status]);
  const decide = (action: 'approve' | 'retire', id: string, reason: string) =>
    ok(action === 'approve' ? api.POST('/api/v1/agents/{id}/approve', { params: { path: { id } }, body: { reason } }) : api.POST('/api/v1/agents/{id}/retire', { params: { path: { id } }, body: { reason } }));
  const headingId = `${status}-heading`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <Async resource={list.resource} label={title.toLowerCase()} retry={list.reload} isEmpty={(page) => page.items.length === 0} empty={empty}>
        {(page) => (
          <table>
            <caption class="visually-hidden">{title}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">What put it here</th>
                {canDecide && <th scope="col">Decision</th>}
              </tr>
            </thead>
            <tbody>
              {page.items.map((agent) => (
                <tr>
                  <td>
                    <a href={href(`/agents/${agent.id}`)} onClick={followLink}>
                      {agent.name}
                    </a>{' '}
                    <Badge value={agent.status} />
                    <div class="muted">
                      {agent.kind.replace(/_/g, ' ')} from {agent.source}
                      {agent.owner ? `, owner ${agent.owner}` : ''}
                    </div>
                  </td>
                  <td>
                    <Cause agent={agent} />
                  </td>
                  {canDecide && (
                    <td>
                      <div class="toolbar" role="group" aria-label={`Decide on ${agent.name}`}>
                        <ReasonAction label="Approve" reasonLabel="Why may it run?" submit={(reason) => decide('approve', agent.id, reason)} onDone={list.reload} />
                        <ReasonAction label="Reject" reasonLabel="Why reject it? (it is retired, for good)" danger submit={(reason) => decide('retire', agent.id, reason)} onDone={list.reload} />
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <Pager list={list} label={title.toLowerCase()} />
    </section>
  );
}

/**
 * Agents waiting for a person: quarantined ones (new discoveries, low trust, put there by hand) and approved ones whose
 * definition changed (needs_review). Approve makes an agent active; reject retires it (docs/agents.md "Lifecycle").
 */
export function ReviewPage() {
  return (
    <>
      <h1>Review queue</h1>
      <p class="muted">Approve makes an agent active; reject retires it for good. Both keep your reason in its history.</p>
      <ReviewList status="needs_review" title="Changed since approval" empty="No approved agent has changed: nothing to review." />
      <ReviewList status="quarantined" title="Quarantined" empty="No agent is in quarantine." />
    </>
  );
}
