import { once } from 'node:events';
import net from 'node:net';

/**
 * A TCP proxy for fault injection between ORCA and its PostgreSQL server. It forwards bytes unchanged until told
 * to misbehave, so a test can reproduce real network failures rather than mock the driver:
 *
 * - `cut()`       every open connection is reset and new ones are reset as soon as they are accepted (server gone);
 * - `blackhole()` connections stay open (new ones are accepted) but no byte passes in either direction (a partition
 *                 or a hung server: the client only finds out through its own timeouts);
 * - `hold()`      bytes from the client are queued, not dropped, until `release()` (a slow server, for exactly as long
 *                 as the test needs — no timers). `hold(marker)` queues only the connection whose bytes contain
 *                 `marker` (from that chunk on), e.g. a query parameter, so one request is slowed and other traffic
 *                 (background jobs, new connections) flows;
 * - `freeze()`    nothing passes in either direction, but nothing is lost: bytes each way are queued until `thaw()`,
 *                 and new connections are accepted and queued alike — what a client sees of a database process that
 *                 was stopped (SIGSTOP) with its TCP connections open;
 * - `thaw()`      delivers what was queued, in order, both ways, and forwards again (the process was continued);
 * - `restore()`   back to forwarding. Connections that lost bytes in the blackhole are reset, because the protocol
 *                 stream on them is corrupt (what a client sees when a partition heals after its peer gave up).
 *
 * The proxy never throws: socket errors (resets by either side) are expected and only close the pair.
 */
export interface TcpProxy {
  readonly port: number;
  /** `target` with its host and port replaced by the proxy's (query string, credentials and path kept). */
  urlFor(target: string): string;
  cut(): void;
  blackhole(): void;
  hold(marker?: string): void;
  /** Resolves once at least one chunk is being held (after `hold()`). */
  whenHeld(): Promise<void>;
  release(): void;
  freeze(): void;
  thaw(): void;
  restore(): void;
  /** Connections currently open between a client and the proxy. */
  openConnections(): number;
  /** Connections accepted since the proxy started (including those reset on accept). */
  acceptedConnections(): number;
  close(): Promise<void>;
}

type Mode = 'forward' | 'cut' | 'blackhole' | 'hold' | 'freeze';

interface Pair {
  client: net.Socket;
  upstream: net.Socket | undefined;
  /** Chunks from the client waiting for `release()` or `thaw()`. */
  queued: Buffer[];
  /** Chunks from the server waiting for `thaw()`. */
  queuedForClient: Buffer[];
  clientEnded: boolean;
  /** This connection's client bytes are being queued (hold mode). */
  holding: boolean;
  /** Bytes were dropped on this pair: its protocol stream can no longer be trusted. */
  corrupt: boolean;
}

export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  let mode: Mode = 'forward';
  let accepted = 0;
  const pairs = new Set<Pair>();
  let holdMarker: Buffer | undefined;
  let heldWaiters: Array<() => void> = [];

  const reset = (pair: Pair) => {
    pairs.delete(pair);
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (pair.upstream && !pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  };

  // A pair is forgotten once both of its sockets are gone; a clean close on one side half-closes the other.
  const settle = (pair: Pair) => {
    if (pair.client.destroyed && (!pair.upstream || pair.upstream.destroyed)) pairs.delete(pair);
  };

  const flush = (pair: Pair) => {
    pair.holding = false;
    for (const chunk of pair.queuedForClient) if (!pair.client.destroyed) pair.client.write(chunk);
    pair.queuedForClient = [];
    if (!pair.upstream) return;
    for (const chunk of pair.queued) pair.upstream.write(chunk);
    pair.queued = [];
    if (pair.clientEnded) pair.upstream.end();
  };

  const connectUpstream = (pair: Pair) => {
    const socket = net.connect(upstream.port, upstream.host);
    pair.upstream = socket;
    socket.on('error', () => reset(pair));
    socket.on('close', (hadError) => {
      if (hadError) return reset(pair);
      pair.client.end();
      settle(pair);
    });
    socket.on('data', (chunk: Buffer) => {
      if (mode === 'blackhole') {
        pair.corrupt = true;
        return;
      }
      if (mode === 'freeze') {
        pair.queuedForClient.push(chunk);
        return;
      }
      pair.client.write(chunk);
    });
    socket.on('end', () => pair.client.end());
  };

  const server = net.createServer((client) => {
    accepted += 1;
    const pair: Pair = { client, upstream: undefined, queued: [], queuedForClient: [], clientEnded: false, holding: false, corrupt: false };
    client.on('error', () => reset(pair));
    if (mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    pairs.add(pair);
    client.on('close', (hadError) => (hadError ? reset(pair) : settle(pair)));
    client.on('data', (chunk: Buffer) => {
      if (mode === 'blackhole' || !pair.upstream) {
        pair.corrupt = true;
        return;
      }
      if (mode === 'freeze') {
        pair.queued.push(chunk);
        return;
      }
      if (pair.holding || (mode === 'hold' && (!holdMarker || chunk.includes(holdMarker)))) {
        pair.holding = true;
        pair.queued.push(chunk);
        const waiters = heldWaiters;
        heldWaiters = [];
        for (const wake of waiters) wake();
        return;
      }
      pair.upstream.write(chunk);
    });
    client.on('end', () => {
      pair.clientEnded = true;
      if (pair.queued.length === 0) pair.upstream?.end();
    });
    // A connection accepted in the blackhole never reaches the server, like a SYN answered by a middlebox.
    if (mode === 'blackhole') pair.corrupt = true;
    else connectUpstream(pair);
  });
  server.on('error', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    urlFor(target) {
      const url = new URL(target);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    cut() {
      mode = 'cut';
      for (const pair of [...pairs]) reset(pair);
    },
    blackhole() {
      mode = 'blackhole';
    },
    hold(marker) {
      mode = 'hold';
      holdMarker = marker === undefined ? undefined : Buffer.from(marker, 'utf8');
    },
    whenHeld() {
      if ([...pairs].some((pair) => pair.queued.length > 0)) return Promise.resolve();
      return new Promise((resolve) => heldWaiters.push(resolve));
    },
    release() {
      mode = 'forward';
      for (const pair of pairs) flush(pair);
    },
    freeze() {
      mode = 'freeze';
    },
    thaw() {
      mode = 'forward';
      for (const pair of [...pairs]) flush(pair);
    },
    restore() {
      mode = 'forward';
      for (const pair of [...pairs]) {
        if (pair.corrupt) reset(pair);
        else flush(pair);
      }
    },
    openConnections: () => pairs.size,
    acceptedConnections: () => accepted,
    async close() {
      for (const pair of [...pairs]) reset(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
