import { getHeapStatistics } from 'node:v8';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { nodeFlags } from '../config/node-flags.js';
import { AppError } from '../errors.js';
import { maxOldSpaceBytes, oldGenerationLimitBytes } from './heap-limit.js';

/**
 * Under memory pressure ORCA refuses, it does not crash: a process that dies of an exhausted V8 heap in the middle of
 * a burst drops every request in flight (none acknowledged, so nothing is lost — but nothing is served either, and
 * it restarts into the same burst). A large body is admitted only while the heap has room to parse, validate and
 * store it next to every other large body admitted and still in flight; otherwise it is answered 503
 * `insufficient_memory` with Retry-After before a byte of it is read. Small bodies are never refused: their cost is
 * within the reserve.
 */

/** Bodies from this size on are checked (a webhook is usually a few KiB; event and run batches reach 10 MiB). */
export const GUARDED_BODY_BYTES = 256 * 1024;
/**
 * V8 heap one byte of JSON body takes while its request is handled: the raw text, the parsed objects (each field a
 * string or number on the heap), the validated copy and the statement parameters. Measured on /events batches of
 * 1,000 events (about 200 KiB): 6–8 times the body; rounded up.
 */
export const HEAP_BYTES_PER_BODY_BYTE = 10;
/** Heap kept free for everything else: small requests, jobs, the garbage collector's own working room. */
export const HEAP_RESERVE_BYTES = 32 * 1024 * 1024;
const RETRY_AFTER_SECONDS = 5;

export interface HeapStatistics {
  heap_size_limit: number;
  used_heap_size: number;
}

interface GuardState {
  reserved: number;
}

const admitted = new WeakMap<FastifyRequest, number>();

/** V8's heap statistics with the limit bounded to the old generation (heap-limit.ts: why the reported one is too high). */
function oldGenerationStatistics(): HeapStatistics {
  const heap = getHeapStatistics();
  return {
    heap_size_limit: oldGenerationLimitBytes(heap.heap_size_limit, maxOldSpaceBytes(nodeFlags())),
    used_heap_size: heap.used_heap_size,
  };
}

/** The expected body size: Content-Length, or the route's limit for a body whose length is not announced. */
function expectedBodyBytes(request: FastifyRequest): number {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) || 0;
  return request.headers['transfer-encoding'] ? (request.routeOptions.bodyLimit ?? 0) : 0;
}

export function installHeapGuard(app: FastifyInstance, heapStatistics: () => HeapStatistics = oldGenerationStatistics): void {
  const state: GuardState = { reserved: 0 };
  const release = (request: FastifyRequest) => {
    const bytes = admitted.get(request);
    if (bytes === undefined) return;
    admitted.delete(request);
    state.reserved -= bytes;
  };
  // preParsing: after authentication and rate limiting (an anonymous flood reserves nothing), before the body is read.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const bodyBytes = expectedBodyBytes(request);
    if (bodyBytes < GUARDED_BODY_BYTES) return done(null, payload);
    const need = bodyBytes * HEAP_BYTES_PER_BODY_BYTE;
    const heap = heapStatistics();
    const free = heap.heap_size_limit - heap.used_heap_size - state.reserved - HEAP_RESERVE_BYTES;
    if (need > free) {
      request.log.warn({ body_bytes: bodyBytes, heap_used_bytes: heap.used_heap_size, heap_limit_bytes: heap.heap_size_limit, reserved_bytes: state.reserved }, 'large body refused: not enough heap');
      return done(
        new AppError('insufficient_memory', 'the server has not enough free memory for a body this large right now; retry later or send smaller batches', {
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        }),
      );
    }
    state.reserved += need;
    admitted.set(request, need);
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    release(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    release(request);
    done();
  });
}
