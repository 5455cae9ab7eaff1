/**
 * A local Apache Airflow webserver written from the stable REST API reference (`GET /api/v1/dags`: `limit` default
 * 100, `offset`, answering `{ dags, total_entries }`; basic auth or a bearer token, 401 as a problem document).
 */
import type http from 'node:http';
import { startTestReceiver, type RecordedRequest, type TestReceiver } from '../../../helpers/http-receiver.js';

export interface FakeAirflow {
  receiver: TestReceiver;
  url: string;
  dags: Array<Record<string, unknown>>;
  listRequests(): RecordedRequest[];
  close(): Promise<void>;
}

export function dag(id: string, options: { tags?: string[]; owner?: string } = {}): Record<string, unknown> {
  return {
    dag_id: id,
    dag_display_name: id,
    description: `${id} pipeline`,
    file_token: `token-${id}`,
    fileloc: `/opt/airflow/dags/${id}.py`,
    is_active: true,
    is_paused: false,
    is_subdag: false,
    owners: [options.owner ?? 'data-eng'],
    root_dag_id: null,
    schedule_interval: { __type: 'CronExpression', value: '0 * * * *' },
    timetable_description: 'At 0 minutes past the hour',
    tags: (options.tags ?? ['etl']).map((name) => ({ name })),
    last_parsed_time: new Date().toISOString(),
  };
}

const json = (response: http.ServerResponse, status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

export async function startFakeAirflow(options: { username: string; password: string; token: string; dags: Array<Record<string, unknown>> }): Promise<FakeAirflow> {
  const receiver = await startTestReceiver();
  const state = { dags: options.dags };
  const basic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  receiver.respond((request, response) => {
    const url = new URL(request.url, 'http://airflow.local');
    const authorization = request.headers.authorization;
    if (authorization !== basic && authorization !== `Bearer ${options.token}`) {
      return json(response, 401, { detail: null, status: 401, title: 'Unauthorized', type: 'https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors/Unauthenticated' });
    }
    if (url.pathname !== '/api/v1/dags') return json(response, 404, { status: 404, title: 'Not Found' });
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    return json(response, 200, { dags: state.dags.slice(offset, offset + limit), total_entries: state.dags.length });
  });
  return {
    receiver,
    url: receiver.url('').replace(/\/$/, ''),
    get dags() {
      return state.dags;
    },
    set dags(value) {
      state.dags = value;
    },
    listRequests: () => receiver.requests.filter((request) => request.url.startsWith('/api/v1/dags')),
    close: () => receiver.close(),
  };
}
