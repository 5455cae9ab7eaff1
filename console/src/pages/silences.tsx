import { api, ok } from '../api/client.ts';
import { ButtonAction } from '../components/actions.tsx';
import { Badge } from '../components/badge.tsx';
import { Pager } from '../components/pager.tsx';
import { Async } from '../components/states.tsx';
import { formatTime } from '../format.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { useCan } from '../session.ts';
import { AlertsTabs } from './alerts-tabs.tsx';

export function SilencesPage() {
  const canExpire = useCan('operator');
  const list = usePagedList((cursor) => ok(api.GET('/api/v1/silences', { params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } } })), []);
  return (
    <>
      <h1>Silences</h1>
      <AlertsTabs current="silences" />
      <Async resource={list.resource} label="silences" retry={list.reload} isEmpty={(page) => page.items.length === 0} empty="No silence yet: create one from an alert.">
        {(page) => (
          <table>
            <caption class="visually-hidden">Silences, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Matchers</th>
                <th scope="col">Status</th>
                <th scope="col">From – until</th>
                <th scope="col">Comment</th>
                <th scope="col">By</th>
                {canExpire && <th scope="col">Action</th>}
              </tr>
            </thead>
            <tbody>
              {page.items.map((silence) => (
                <tr>
                  <td>
                    <ul class="labels" aria-label="Matchers">
                      {silence.matchers.map((matcher) => (
                        <li>
                          <code>{matcher}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <Badge value={silence.status} />
                  </td>
                  <td>
                    {formatTime(silence.starts_at)} – {formatTime(silence.ends_at)}
                  </td>
                  <td>{silence.comment}</td>
                  <td>
                    <code>{silence.created_by}</code>
                  </td>
                  {canExpire && (
                    <td>
                      {silence.status !== 'expired' && (
                        <ButtonAction label="Expire now" submit={() => ok(api.DELETE('/api/v1/silences/{id}', { params: { path: { id: silence.id } } }))} onDone={list.reload} />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <Pager list={list} label="silences" />
    </>
  );
}
