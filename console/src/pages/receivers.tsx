import { api, ok, type Schemas } from '../api/client.ts';
import { ButtonAction } from '../components/actions.tsx';
import { Badge } from '../components/badge.tsx';
import { FilterForm, oneOf, type FilterField } from '../components/filter-form.tsx';
import { Pager } from '../components/pager.tsx';
import { Async } from '../components/states.tsx';
import { formatTime } from '../format.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { useResource } from '../hooks/use-resource.ts';
import { useCan } from '../session.ts';
import { AlertsTabs } from './alerts-tabs.tsx';
import type { PageProps } from './registry.ts';

const STATUSES: readonly Schemas['DeliveryStatus'][] = ['pending', 'delivered', 'failed', 'dead_lettered'];
const FIELDS: readonly FilterField[] = [{ name: 'status', label: 'Delivery status', kind: 'select', options: STATUSES }];
/** Delivery health is judged on each receiver's most recent deliveries, read in one page. */
const HEALTH_SAMPLE = 200;

export interface ReceiverHealth {
  counts: Record<Schemas['DeliveryStatus'], number>;
  lastDeliveredAt: string | null;
  lastError: string | null;
}

/** Per receiver: how its recent deliveries ended, when one last got through, and the last error. */
export function healthByReceiver(deliveries: readonly Schemas['Delivery'][]): Map<string, ReceiverHealth> {
  const health = new Map<string, ReceiverHealth>();
  for (const delivery of deliveries) {
    let entry = health.get(delivery.receiver_id);
    if (!entry) {
      entry = { counts: { pending: 0, delivered: 0, failed: 0, dead_lettered: 0 }, lastDeliveredAt: null, lastError: null };
      health.set(delivery.receiver_id, entry);
    }
    entry.counts[delivery.status] += 1;
    if (delivery.delivered_at && (!entry.lastDeliveredAt || delivery.delivered_at > entry.lastDeliveredAt)) entry.lastDeliveredAt = delivery.delivered_at;
    // Newest first: the first error seen is the latest.
    if (delivery.last_error && entry.lastError === null && delivery.status !== 'delivered') entry.lastError = delivery.last_error;
  }
  return health;
}

function Receivers() {
  const [receivers, reload] = useResource(async () => {
    const [page, recent] = await Promise.all([ok(api.GET('/api/v1/receivers', { params: { query: { limit: 200 } } })), ok(api.GET('/api/v1/deliveries', { params: { query: { limit: HEALTH_SAMPLE } } }))]);
    return { receivers: page.items, health: healthByReceiver(recent.items) };
  }, []);
  return (
    <section aria-labelledby="receivers-heading">
      <h2 id="receivers-heading">Receivers</h2>
      <Async resource={receivers} label="receivers" retry={reload} isEmpty={(data) => data.receivers.length === 0} empty="No receiver: alerts are evaluated but sent nowhere (docs/receivers.md).">
        {(data) => (
          <table>
            <caption class="visually-hidden">Alert receivers and the health of their last {HEALTH_SAMPLE} deliveries</caption>
            <thead>
              <tr>
                <th scope="col">Receiver</th>
                <th scope="col">URL</th>
                <th scope="col">Delivered</th>
                <th scope="col">Failing</th>
                <th scope="col">Dead-lettered</th>
                <th scope="col">Last delivered</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {data.receivers.map((receiver) => {
                const health = data.health.get(receiver.id);
                return (
                  <tr>
                    <th scope="row">
                      {receiver.name} <span class="muted">({receiver.kind})</span>
                    </th>
                    <td>
                      <code>{receiver.url}</code>
                    </td>
                    <td>{health?.counts.delivered ?? 0}</td>
                    <td>{(health?.counts.failed ?? 0) + (health?.counts.pending ?? 0)}</td>
                    <td>{health?.counts.dead_lettered ?? 0}</td>
                    <td>{formatTime(health?.lastDeliveredAt)}</td>
                    <td>{health?.lastError ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Async>
    </section>
  );
}

function Deliveries({ query }: { query: URLSearchParams }) {
  const status = oneOf(query, 'status', STATUSES);
  const list = usePagedList((cursor) => ok(api.GET('/api/v1/deliveries', { params: { query: { ...(status ? { status } : {}), limit: 25, ...(cursor ? { cursor } : {}) } } })), [status]);
  return (
    <section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Deliveries</h2>
      <FilterForm id="deliveries" path="/alerts/receivers" fields={FIELDS} query={query} />
      <Async resource={list.resource} label="deliveries" retry={list.reload} isEmpty={(page) => page.items.length === 0} empty="No delivery matches.">
        {(page) => (
          <table>
            <caption class="visually-hidden">Notification deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Receiver</th>
                <th scope="col">Notification</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((delivery) => (
                <tr>
                  <td>{formatTime(delivery.created_at)}</td>
                  <td>{delivery.receiver_name}</td>
                  <td>
                    {delivery.notification_kind} ({delivery.notification_status}, {delivery.alerts} alerts)
                  </td>
                  <td>
                    <Badge value={delivery.status} />
                  </td>
                  <td>{delivery.attempts}</td>
                  <td>
                    {delivery.last_status ?? '—'}
                    {delivery.last_error && <div class="muted">{delivery.last_error}</div>}
                  </td>
                  <td>
                    {(delivery.status === 'failed' || delivery.status === 'dead_lettered') && (
                      <ButtonAction label="Retry" submit={() => ok(api.POST('/api/v1/deliveries/{id}/retry', { params: { path: { id: delivery.id } } }))} onDone={list.reload} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <Pager list={list} label="deliveries" />
    </section>
  );
}

export function ReceiversPage({ query }: PageProps) {
  const isAdmin = useCan('admin');
  return (
    <>
      <h1>Receivers and deliveries</h1>
      <AlertsTabs current="receivers" />
      {isAdmin && <Receivers />}
      <Deliveries query={query} />
    </>
  );
}
