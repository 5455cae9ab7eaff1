import { useState } from 'preact/hooks';
import { api, ok, type Schemas } from '../api/client.ts';
import { ReasonAction } from '../components/actions.tsx';
import { AgentLink } from '../components/agent-link.tsx';
import { Badge } from '../components/badge.tsx';
import { Pager } from '../components/pager.tsx';
import { Async, describeError } from '../components/states.tsx';
import { formatNumber, formatRelative, formatTime } from '../format.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { useCan } from '../session.ts';

type Selector = Schemas['KillSwitchSelector'];
type Preview = Schemas['KillSwitchPreview'];
type Kind = Schemas['AgentKind'];

const KINDS: readonly Kind[] = ['mcp_server', 'llm_agent', 'workflow', 'pipeline', 'function'];
const LISTS = [
  { name: 'tags', label: 'Tags' },
  { name: 'owners', label: 'Owners' },
  { name: 'vendors', label: 'Vendors' },
  { name: 'models', label: 'Models' },
  { name: 'agent_ids', label: 'Agent ids' },
  { name: 'discovery_source_ids', label: 'Discovery source ids' },
] as const;
type ListName = (typeof LISTS)[number]['name'];

/** "a, b\nc" → ['a', 'b', 'c']: one value a line or separated by commas, blanks dropped, duplicates once. */
export function splitValues(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((value) => value.trim())
        .filter((value) => value !== ''),
    ),
  ];
}

/**
 * The selector the form describes, or why it describes none. Mirrors the API's rules (docs/kill-switch.md) so the
 * form says what is wrong before asking: at least one criterion, and "every agent" alone.
 */
export function selectorFrom(input: { all: boolean; kinds: readonly string[]; lists: Partial<Record<ListName, string>> }): { selector: Selector } | { error: string } {
  const selector: Selector = {};
  for (const { name } of LISTS) {
    const values = splitValues(input.lists[name] ?? '');
    if (values.length > 0) selector[name] = values;
  }
  const kinds = KINDS.filter((kind) => input.kinds.includes(kind));
  if (kinds.length > 0) selector.kinds = kinds;
  const criteria = Object.keys(selector).length;
  if (input.all) {
    if (criteria > 0) return { error: '“Every agent” must be the only criterion: clear the others, or untick it.' };
    return { selector: { all: true } };
  }
  if (criteria === 0) return { error: 'Give at least one criterion, or tick “every agent”.' };
  return { selector };
}

/** A selector as one line: "tags: pii, finance; kinds: llm agent" or "every agent". */
export function describeSelector(selector: Selector): string {
  if (selector.all) return 'every agent that is not retired';
  const parts: string[] = [];
  for (const { name, label } of LISTS) {
    const values = selector[name];
    if (values?.length) parts.push(`${label.toLowerCase()}: ${values.join(', ')}`);
  }
  if (selector.kinds?.length) parts.push(`kinds: ${selector.kinds.map((kind) => kind.replace(/_/g, ' ')).join(', ')}`);
  return parts.join('; ');
}

const countsLine = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([name, count]) => `${name.replace(/_/g, ' ')} ${formatNumber(count)}`)
    .join(', ') || 'none';

function SelectorForm({ onPreview }: { onPreview: (preview: Preview) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const lists: Partial<Record<ListName, string>> = {};
    for (const { name } of LISTS) lists[name] = String(data.get(name) ?? '');
    const parsed = selectorFrom({ all: data.get('all') === 'on', kinds: data.getAll('kinds').map(String), lists });
    if ('error' in parsed) {
      setError(parsed.error);
      return;
    }
    setBusy(true);
    setError(undefined);
    ok(api.POST('/api/v1/kill-switch/preview', { body: { selector: parsed.selector } })).then(
      (preview) => {
        setBusy(false);
        onPreview(preview);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(describeError(failure).message);
      },
    );
  };
  return (
    <form class="selector-form" onSubmit={submit} aria-labelledby="selector-heading">
      <h2 id="selector-heading">Which agents to stop</h2>
      <p class="muted">Each list matches any of its values (one a line, or separated by commas); the criteria given must all match. Retired agents are never selected.</p>
      <div class="field">
        <label>
          <input type="checkbox" name="all" /> Every agent that is not retired
        </label>
      </div>
      <div class="filters">
        {LISTS.map(({ name, label }) => (
          <div class="field">
            <label for={`selector-${name}`}>{label}</label>
            <textarea id={`selector-${name}`} name={name} rows={2} />
          </div>
        ))}
      </div>
      <fieldset>
        <legend>Kinds</legend>
        {KINDS.map((kind) => (
          <label class="choice">
            <input type="checkbox" name="kinds" value={kind} /> {kind.replace(/_/g, ' ')}
          </label>
        ))}
      </fieldset>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="buttons">
        <button type="submit" disabled={busy}>
          {busy ? 'Working…' : 'Preview blast radius'}
        </button>
      </div>
    </form>
  );
}

function PreviewView({ preview, onExecuted, onDiscard }: { preview: Preview; onExecuted: () => void; onDiscard: () => void }) {
  const isAdmin = useCan('admin');
  const { agents } = preview;
  return (
    <section aria-labelledby="preview-heading" class="preview">
      <h2 id="preview-heading">Blast radius</h2>
      <p>
        Selects <strong>{formatNumber(agents.total)}</strong> agent{agents.total === 1 ? '' : 's'} ({describeSelector(preview.selector)}):{' '}
        <strong>{formatNumber(agents.to_suspend)}</strong> to suspend, {formatNumber(agents.already_suspended)} already suspended. By status:{' '}
        {countsLine(agents.by_status)}.
      </p>
      <dl class="pairs wide">
        <dt>Decisions, last 24 h</dt>
        <dd>
          {formatNumber(preview.decisions_last_24h.total)} ({countsLine(preview.decisions_last_24h.by_decision)})
        </dd>
        <dt>Runs, last hour</dt>
        <dd>
          {formatNumber(preview.runs_last_hour.total)} ({countsLine(preview.runs_last_hour.by_outcome)})
        </dd>
        <dt>Pending approvals</dt>
        <dd>{preview.pending_approvals === null ? 'not in this build' : formatNumber(preview.pending_approvals.total)}</dd>
        <dt>Sync contracts owned</dt>
        <dd>{preview.sync_contracts.map((contract) => `${contract.name} (${contract.streams.join(', ') || 'no stream'})`).join('; ') || 'none'}</dd>
        <dt>Sources feeding them</dt>
        <dd>{preview.sources.map((source) => source.name ?? source.source).join(', ') || 'none'}</dd>
        <dt>Preview valid until</dt>
        <dd>
          {formatTime(preview.expires_at)} ({formatRelative(preview.expires_at)})
        </dd>
      </dl>
      {preview.notes.length > 0 && (
        <ul class="plain-list" aria-label="Notes">
          {preview.notes.map((note) => (
            <li>{note}</li>
          ))}
        </ul>
      )}
      {agents.items.length > 0 && (
        <table>
          <caption class="visually-hidden">Selected agents</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Status</th>
              <th scope="col">Kill switch does</th>
              <th scope="col">Decisions 24 h</th>
              <th scope="col">Runs 1 h</th>
            </tr>
          </thead>
          <tbody>
            {agents.items.map((agent) => (
              <tr>
                <td>
                  {agent.name}
                  <div class="muted">
                    {agent.kind.replace(/_/g, ' ')}
                    {agent.owner ? `, owner ${agent.owner}` : ''}
                  </div>
                </td>
                <td>
                  <Badge value={agent.status} />
                </td>
                <td>{agent.action === 'suspend' ? 'suspend' : 'nothing (already suspended)'}</td>
                <td>{formatNumber(agent.decisions_last_24h)}</td>
                <td>{formatNumber(agent.runs_last_hour)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {agents.truncated && <p class="muted">Only the first {formatNumber(agents.items.length)} agents are listed.</p>}
      {preview.pending_approvals && preview.pending_approvals.items.length > 0 && (
        <>
          <h3>Pending approvals of these agents</h3>
          <ul class="plain-list">
            {preview.pending_approvals.items.map((approval) => (
              <li>
                <AgentLink id={approval.agent_id} />: <code>{approval.action}</code>
                {approval.resource ? (
                  <>
                    {' '}
                    on <code>{approval.resource}</code>
                  </>
                ) : (
                  ''
                )}{' '}
                <span class="muted">requested {formatTime(approval.requested_at)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="toolbar" role="group" aria-label="Kill switch">
        {isAdmin ? (
          agents.to_suspend > 0 && (
            <ReasonAction
              label={`Suspend ${formatNumber(agents.to_suspend)} agent${agents.to_suspend === 1 ? '' : 's'}`}
              reasonLabel="Why stop these agents? (kept in each agent’s history and the audit log)"
              danger
              submit={(reason) => ok(api.POST('/api/v1/kill-switch', { body: { preview_token: preview.preview_token, reason } }))}
              onDone={onExecuted}
            />
          )
        ) : (
          <p class="muted">Only an admin may execute a kill switch; this preview shows what it would stop.</p>
        )}
        <button type="button" class="secondary" onClick={onDiscard}>
          Discard preview
        </button>
      </div>
    </section>
  );
}

function Activations({ reloadKey }: { reloadKey: number }) {
  const isAdmin = useCan('admin');
  const list = usePagedList((cursor) => ok(api.GET('/api/v1/kill-switch', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })), [reloadKey]);
  return (
    <section aria-labelledby="activations-heading">
      <h2 id="activations-heading">Executed kill switches</h2>
      <Async resource={list.resource} label="kill switches" retry={list.reload} isEmpty={(page) => page.items.length === 0} empty="No kill switch was ever executed.">
        {(page) => (
          <table>
            <caption class="visually-hidden">Kill switch activations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Executed</th>
                <th scope="col">Selection</th>
                <th scope="col">Status</th>
                <th scope="col">Agents</th>
                {isAdmin && <th scope="col">Action</th>}
              </tr>
            </thead>
            <tbody>
              {page.items.map((activation) => (
                <tr>
                  <td>
                    {formatTime(activation.activated_at)}
                    <div class="muted">
                      by <code>{activation.activated_by}</code>: {activation.reason}
                    </div>
                  </td>
                  <td>{describeSelector(activation.selector)}</td>
                  <td>
                    <Badge value={activation.status === 'active' ? 'holding' : 'released'} label={activation.status} />
                    {activation.released_at && (
                      <div class="muted">
                        {formatTime(activation.released_at)} by <code>{activation.released_by}</code>
                        {activation.release_reason ? `: ${activation.release_reason}` : ''}
                      </div>
                    )}
                  </td>
                  <td>
                    {formatNumber(activation.suspended_count)} suspended, {formatNumber(activation.already_suspended_count)} already were
                    {activation.restored_count !== null && (
                      <div class="muted">
                        released: {formatNumber(activation.restored_count)} restored, {formatNumber(activation.skipped_count)} skipped, {formatNumber(activation.transferred_count)} held by
                        another
                      </div>
                    )}
                  </td>
                  {isAdmin && (
                    <td>
                      {activation.status === 'active' && (
                        <ReasonAction
                          label="Release"
                          reasonLabel="Why release these agents?"
                          submit={(reason) => ok(api.POST('/api/v1/kill-switch/{id}/release', { params: { path: { id: activation.id } }, body: { reason } }))}
                          onDone={list.reload}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <Pager list={list} label="kill switches" />
    </section>
  );
}

/**
 * The kill switch (docs/kill-switch.md): an operator describes the agents to stop and previews the blast radius; an
 * admin executes exactly that preview with a reason, and releases it later. Viewers see the executed ones.
 */
export function KillSwitchPage() {
  const canPreview = useCan('operator');
  const [preview, setPreview] = useState<Preview | undefined>();
  const [executed, setExecuted] = useState(0);
  return (
    <>
      <h1>Kill switch</h1>
      {canPreview && (preview ? <PreviewView preview={preview} onDiscard={() => setPreview(undefined)} onExecuted={() => (setPreview(undefined), setExecuted(executed + 1))} /> : <SelectorForm onPreview={setPreview} />)}
      <Activations reloadKey={executed} />
    </>
  );
}
