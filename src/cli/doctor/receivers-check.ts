import net, { isIP } from 'node:net';
import type { ReceiverEndpoint } from '../../modules/receivers/index.js';
import type { AddressGuard } from '../../platform/outbound/address-guard.js';
import { hostOf, refusalAmong, systemResolveHost, type ResolveHost } from '../../platform/outbound/guarded-lookup.js';
import { scrubString } from '../../platform/telemetry/redact.js';
import { elapsedMs, type ReceiverProbe, type ReceiversCheck } from './doctor-check.js';

/** Long enough for a receiver across a WAN, short enough that a doctor with a dead receiver answers promptly. */
export const RECEIVER_CONNECT_TIMEOUT_MS = 3_000;

/** How many receivers are probed at once. */
const CONCURRENCY = 8;

/** The network as the probe sees it: tests replace the resolver (fake DNS) or the connection (a hang). */
export interface ReceiverNetwork {
  resolveHost: ResolveHost;
  /** Opens a TCP connection to address:port and closes it; rejects with the system's error (code) or a timeout. */
  connect(address: string, port: number, timeoutMs: number): Promise<void>;
}

function tcpConnect(address: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

export const systemReceiverNetwork: ReceiverNetwork = { resolveHost: systemResolveHost, connect: tcpConnect };

const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

/** scheme://host:port and nothing else: a receiver URL's path, query and user info may be its credential. */
export function receiverTarget(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.protocol}//${url.hostname}:${port}`;
}

interface ProbeDeps {
  guard: AddressGuard;
  network: ReceiverNetwork;
  timeoutMs: number;
}

/** Where to correct a receiver's URL: its setting, or the API. */
function fixUrl(endpoint: ReceiverEndpoint): string {
  return endpoint.setting ? `correct ${endpoint.setting}` : "correct the receiver's URL (PATCH /api/v1/receivers/{id})";
}

/**
 * Resolves the receiver's host and judges every address with the SSRF guard, exactly as a delivery would, then opens
 * a TCP connection to the address a delivery would use, and closes it: nothing is sent, so no notification.
 */
async function probe(endpoint: ReceiverEndpoint, deps: ProbeDeps): Promise<ReceiverProbe> {
  const started = performance.now();
  const { name, kind } = endpoint;
  const base = { name, kind, ...(endpoint.setting ? { setting: endpoint.setting } : {}) };
  const label = (target: string) => `receiver "${name}" (${target})`;
  if (!endpoint.url) {
    return {
      ...base,
      target: 'unknown',
      status: 'down',
      latency_ms: elapsedMs(started),
      error: `its URL cannot be decrypted: ${endpoint.openError ?? 'unknown error'}`,
      hint: `receiver "${name}": give this process the ORCA_SECRET_KEY (or ORCA_DATA_DIR/secret.key) of the server that stored it; deliveries from a process without it fail the same way`,
    };
  }
  const target = receiverTarget(endpoint.url);
  const down = (error: string, hint: string): ReceiverProbe => ({ ...base, target, status: 'down', latency_ms: elapsedMs(started), error, hint });
  const host = hostOf(endpoint.url);
  const port = Number(endpoint.url.port || (endpoint.url.protocol === 'https:' ? 443 : 80));
  let address: string;
  if (isIP(host) !== 0) {
    const verdict = deps.guard.check(host);
    if (!verdict.allowed) return down(`refused by the SSRF guard: ${verdict.reason}`, `${label(target)}: add its address to OUTBOUND_ALLOW_CIDRS if ORCA is meant to reach it, or ${fixUrl(endpoint)}`);
    address = host;
  } else {
    let addresses;
    try {
      addresses = await deps.network.resolveHost(host, 0);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
      if (NO_SUCH_NAME.has(code)) return down(`${host} does not resolve (${code})`, `${label(target)}: ${fixUrl(endpoint)}, or this host's DNS`);
      return down(`${host} could not be resolved now (${code})`, `${label(target)}: check this host's DNS resolver`);
    }
    const refusal = refusalAmong(deps.guard, addresses);
    if (refusal) return down(`refused by the SSRF guard: ${host} resolves to ${refusal.reason}`, `${label(target)}: add its address to OUTBOUND_ALLOW_CIDRS if ORCA is meant to reach it, or ${fixUrl(endpoint)}`);
    const first = addresses[0];
    if (!first) return down(`${host} has no address`, `${label(target)}: ${fixUrl(endpoint)}, or this host's DNS`);
    address = first.address;
  }
  try {
    await deps.network.connect(address, port, deps.timeoutMs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const at = `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
    const what =
      code === 'ECONNREFUSED'
        ? `connection refused by ${at}`
        : code === 'ETIMEDOUT'
          ? `no answer from ${at} within ${deps.timeoutMs} ms`
          : `cannot connect to ${at}: ${code ?? scrubString((error as Error).message)}`;
    return down(what, `${label(target)} is not reachable from this host: check that it runs and that no firewall blocks ORCA's way to it; meanwhile deliveries to it retry, then dead-letter`);
  }
  return { ...base, target, status: 'up', latency_ms: elapsedMs(started) };
}

/** Runs `fn` over `items` with at most `limit` at once, keeping their order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Every receiver's reachability from this host: `down` when any is unreachable, refused by the SSRF guard, or its
 * URL cannot be opened. Each one shows as scheme://host:port only.
 */
export async function checkReceivers(
  endpoints: ReceiverEndpoint[],
  deps: { guard: AddressGuard; network?: ReceiverNetwork; timeoutMs?: number },
): Promise<ReceiversCheck> {
  const started = performance.now();
  const probeDeps: ProbeDeps = { guard: deps.guard, network: deps.network ?? systemReceiverNetwork, timeoutMs: deps.timeoutMs ?? RECEIVER_CONNECT_TIMEOUT_MS };
  const targets = await mapLimited(endpoints, CONCURRENCY, (endpoint) => probe(endpoint, probeDeps));
  const unreachable = targets.filter((target) => target.status === 'down').length;
  if (targets.length === 0) return { status: 'up', latency_ms: elapsedMs(started), detail: 'no receivers configured', targets };
  const detail = `${targets.length - unreachable} of ${targets.length} receiver${targets.length === 1 ? '' : 's'} reachable (TCP connect, nothing sent)`;
  return { status: unreachable > 0 ? 'down' : 'up', latency_ms: elapsedMs(started), detail, targets };
}

/** The check when the receivers could not be listed at all. */
export function receiversNotListed(detail: string, hint?: string): ReceiversCheck {
  return { status: 'down', latency_ms: 0, detail, ...(hint ? { hint } : {}), targets: [] };
}
