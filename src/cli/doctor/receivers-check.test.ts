import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverEndpoint } from '../../modules/receivers/index.js';
import { createAddressGuard } from '../../platform/outbound/address-guard.js';
import type { ResolveHost } from '../../platform/outbound/guarded-lookup.js';
import { checkReceivers, receiverTarget, systemReceiverNetwork, type ReceiverNetwork } from './receivers-check.js';

/** A TCP listener standing in for a receiver: the probe only connects, so it counts connections and data. */
let listener: net.Server;
let openPort: number;
let closedPort: number;
let connections = 0;
let bytesReceived = 0;

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

beforeAll(async () => {
  listener = net.createServer((socket) => {
    connections += 1;
    socket.on('data', (chunk) => (bytesReceived += chunk.length));
    socket.on('error', () => undefined);
  });
  openPort = await listen(listener);
  // A port that was free a moment ago and that nothing listens on: a receiver that is down.
  const closed = net.createServer();
  closedPort = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

const loopbackAllowed = createAddressGuard(['127.0.0.0/8']);
const endpoint = (name: string, url: string, kind: ReceiverEndpoint['kind'] = 'webhook'): ReceiverEndpoint => ({ name, kind, url: new URL(url) });

/** Fake DNS: the named hosts resolve to loopback, anything else does not exist. */
const fakeDns: ResolveHost = (hostname) =>
  hostname.endsWith('.doctor.test')
    ? Promise.resolve([{ address: '127.0.0.1', family: 4 }])
    : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
const network: ReceiverNetwork = { ...systemReceiverNetwork, resolveHost: fakeDns };

describe('checkReceivers', () => {
  it('connects to each receiver (up) without sending a byte, and shows only scheme://host:port', async () => {
    const before = connections;
    const check = await checkReceivers(
      [
        // secretlint-disable-next-line @secretlint/secretlint-rule-basicauth -- deliberate fake: the output must not show it
        endpoint('pager', `http://doctor:userinfo-secret@127.0.0.1:${openPort}/hook/path-secret?token=query-secret`),
        endpoint('chat', `http://hooks.doctor.test:${openPort}/services/T0DOC/B0DOC/slack-path-secret`, 'slack'),
      ],
      { guard: loopbackAllowed, network },
    );
    expect(check).toMatchObject({ status: 'up', detail: '2 of 2 receivers reachable (TCP connect, nothing sent)' });
    expect(check.targets.map(({ latency_ms: _, ...rest }) => rest)).toEqual([
      { name: 'pager', kind: 'webhook', target: `http://127.0.0.1:${openPort}`, status: 'up' },
      { name: 'chat', kind: 'slack', target: `http://hooks.doctor.test:${openPort}`, status: 'up' },
    ]);
    expect(JSON.stringify(check)).not.toMatch(/secret/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connections - before).toBe(2);
    expect(bytesReceived).toBe(0);
  });

  it('reports a receiver that is down (a closed port) with the refusal and its hint; the check is down', async () => {
    const check = await checkReceivers([endpoint('up', `http://127.0.0.1:${openPort}/`), endpoint('down', `http://127.0.0.1:${closedPort}/x?sig=1`)], { guard: loopbackAllowed, network });
    expect(check).toMatchObject({ status: 'down', detail: '1 of 2 receivers reachable (TCP connect, nothing sent)' });
    expect(check.targets[1]).toMatchObject({
      name: 'down',
      target: `http://127.0.0.1:${closedPort}`,
      status: 'down',
      error: `connection refused by 127.0.0.1:${closedPort}`,
      hint: `receiver "down" (http://127.0.0.1:${closedPort}) is not reachable from this host: check that it runs and that no firewall blocks ORCA's way to it; meanwhile deliveries to it retry, then dead-letter`,
    });
  });

  it('applies the SSRF guard before connecting: a refused address is down with the OUTBOUND_ALLOW_CIDRS hint, and no connection is made', async () => {
    const before = connections;
    const check = await checkReceivers(
      [endpoint('literal', `http://127.0.0.1:${openPort}/`), { ...endpoint('am', `http://am.doctor.test:${openPort}/api/v2/alerts`, 'alertmanager'), setting: 'ALERTMANAGER_URL' }],
      { guard: createAddressGuard([]), network },
    );
    expect(check.status).toBe('down');
    expect(check.targets[0]).toMatchObject({
      status: 'down',
      error: 'refused by the SSRF guard: 127.0.0.1 is a loopback address; OUTBOUND_ALLOW_CIDRS can allow it',
      hint: `receiver "literal" (http://127.0.0.1:${openPort}): add its address to OUTBOUND_ALLOW_CIDRS if ORCA is meant to reach it, or correct the receiver's URL (PATCH /api/v1/receivers/{id})`,
    });
    expect(check.targets[1]).toMatchObject({
      setting: 'ALERTMANAGER_URL',
      error: 'refused by the SSRF guard: am.doctor.test resolves to 127.0.0.1 is a loopback address; OUTBOUND_ALLOW_CIDRS can allow it',
      hint: `receiver "am" (http://am.doctor.test:${openPort}): add its address to OUTBOUND_ALLOW_CIDRS if ORCA is meant to reach it, or correct ALERTMANAGER_URL`,
    });
    expect(connections).toBe(before);
  });

  it('reports a host that does not resolve, a connection that times out, and a URL that cannot be decrypted', async () => {
    const hang: ReceiverNetwork = { ...network, connect: (_address, _port, timeoutMs) => Promise.reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })) };
    const check = await checkReceivers(
      [endpoint('gone', 'https://gone.example.invalid/hook'), endpoint('slow', 'https://slow.doctor.test/hook'), { name: 'sealed', kind: 'webhook', url: undefined, openError: 'Unsupported state or unable to authenticate data' }],
      { guard: loopbackAllowed, network: hang, timeoutMs: 3000 },
    );
    expect(check.targets.map((target) => [target.target, target.error])).toEqual([
      ['https://gone.example.invalid:443', 'gone.example.invalid does not resolve (ENOTFOUND)'],
      ['https://slow.doctor.test:443', 'no answer from 127.0.0.1:443 within 3000 ms'],
      ['unknown', 'its URL cannot be decrypted: Unsupported state or unable to authenticate data'],
    ]);
    expect(check.targets[2]!.hint).toMatch(/^receiver "sealed": give this process the ORCA_SECRET_KEY/);
  });

  it('is up with no receivers', async () => {
    expect(await checkReceivers([], { guard: loopbackAllowed })).toMatchObject({ status: 'up', detail: 'no receivers configured', targets: [] });
  });
});

describe('receiverTarget', () => {
  it('keeps scheme, host and port (the default one spelled out) and drops everything else', () => {
    expect(receiverTarget(new URL('https://u:p@example.com/a?b=c#d'))).toBe('https://example.com:443');
    expect(receiverTarget(new URL('http://example.com'))).toBe('http://example.com:80');
    expect(receiverTarget(new URL('http://[::1]:9093/api/v2/alerts'))).toBe('http://[::1]:9093');
  });
});
