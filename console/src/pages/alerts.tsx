import { useState } from 'preact/hooks';
import { api, ok, type Schemas } from '../api/client.ts';
import { Badge } from '../components/badge.tsx';
import { FilterForm, oneOf, type FilterField } from '../components/filter-form.tsx';
import { Pager } from '../components/pager.tsx';
import { Async } from '../components/states.tsx';
import { formatNumber, formatTime } from '../format.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { useCan } from '../session.ts';
import { AlertsTabs } from './alerts-tabs.tsx';
import type { PageProps } from './registry.ts';
import { SilenceForm } from './silence-form.tsx';

const STATUSES: readonly Schemas['AlertStatus'][] = ['firing', 'pending', 'resolved'];
const FIELDS: readonly FilterField[] = [{ name: 'status', label: 'Status', kind: 'select', options: STATUSES }];

function AlertRow({ alert, canSilence, onSilenced }: { alert: Schemas['Alert']; canSilence: boolean; onSilenced: () => void }) {
  const [silencing, setSilencing] = useState(false);
  return (
    <tr>
      <td>
        <strong>{alert.rule}</strong>
        <div>
          <Badge value={alert.labels.severity ?? 'info'} /> <Badge value={alert.status} />
        </div>
      </td>
      <td>
        <ul class="labels" aria-label="Labels">
          {Object.entries(alert.labels).map(([name, value]) => (
            <li>
              <code>
                {name}={value}
              </code>
            </li>
          ))}
        </ul>
      </td>
      <td>
        {Object.entries(alert.annotations).map(([name, value]) => (
          <p>
            <span class="muted">{name}:</span> {value}
          </p>
        ))}
        {alert.value !== null && <p class="muted">value {formatNumber(alert.value, 2)}</p>}
      </td>
      <td>
        {alert.starts_at ? `since ${formatTime(alert.starts_at)}` : `pending since ${formatTime(alert.active_since)}`}
        {alert.ends_at && <div class="muted">ended {formatTime(alert.ends_at)}</div>}
      </td>
      <td>
        {alert.silenced_by.map((silence) => (
          <p class="muted">
            Silenced until {formatTime(silence.ends_at)}: {silence.comment}
          </p>
        ))}
        {canSilence &&
          alert.status !== 'resolved' &&
          (silencing ? (
            <SilenceForm
              alert={alert}
              onCancel={() => setSilencing(false)}
              onDone={() => {
                setSilencing(false);
                onSilenced();
              }}
            />
          ) : (
            <button type="button" onClick={() => setSilencing(true)}>
              Silence…
            </button>
          ))}
      </td>
    </tr>
  );
}

export function AlertsPage({ query }: PageProps) {
  const canSilence = useCan('operator');
  const status = oneOf(query, 'status', STATUSES);
  const list = usePagedList((cursor) => ok(api.GET('/api/v1/alerts', { params: { query: { ...(status ? { status } : {}), limit: 25, ...(cursor ? { cursor } : {}) } } })), [status]);
  return (
    <>
      <h1>Alerts</h1>
      <AlertsTabs current="alerts" />
      <FilterForm id="alerts" path="/alerts" fields={FIELDS} query={query} />
      <Async resource={list.resource} label="alerts" retry={list.reload} isEmpty={(page) => page.items.length === 0} empty="No alert matches.">
        {(page) => (
          <table>
            <caption class="visually-hidden">Alerts, silenced ones included</caption>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Labels</th>
                <th scope="col">Annotations</th>
                <th scope="col">When</th>
                <th scope="col">Silences</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((alert) => (
                <AlertRow key={alert.fingerprint} alert={alert} canSilence={canSilence} onSilenced={list.reload} />
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <Pager list={list} label="alerts" />
    </>
  );
}
