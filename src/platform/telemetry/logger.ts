import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config/schema.js';
import { redactValue, scrubString } from './redact.js';

export type { Logger } from 'pino';

/**
 * Marks a log object whose every value the caller has already scrubbed, so the generic deep walk is skipped.
 * Only the per-request access line uses it (the hot path: one line per request); a symbol key is never written.
 */
export const PRE_SCRUBBED = Symbol('orca.log.preScrubbed');

/**
 * pino's isoTime, computed at most once per millisecond: under load many lines share a millisecond, and
 * Date#toISOString is a visible part of what a log line costs. Same output, byte for byte.
 */
export function isoTimeOncePerMillisecond(now: () => number = Date.now): () => string {
  let lastMs = Number.NaN;
  let last = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      last = `,"time":"${new Date(ms).toISOString()}"`;
    }
    return last;
  };
}

/** The log call's arguments with every string scrubbed; the same array when there was nothing to change. */
function scrubStrings(args: unknown[]): unknown[] {
  let scrubbed: unknown[] | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (typeof arg !== 'string') continue;
    const clean = scrubString(arg);
    if (clean === arg) continue;
    scrubbed ??= [...args];
    scrubbed[index] = clean;
  }
  return scrubbed ?? args;
}

function hasOwnKeys(object: object): boolean {
  for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) return true;
  return false;
}

/** What batchedDestination needs of pino's SonicBoom destination. */
export interface FlushableDestination {
  write(chunk: string): unknown;
  flush(callback?: (error?: Error) => void): void;
  flushSync(): void;
}

export type BatchedDestination = pino.DestinationStream & {
  flush(callback?: (error?: Error) => void): void;
  flushSync(): void;
};

const liveBatchers = new Set<WeakRef<{ flushSync(): void }>>();
let exitHookInstalled = false;

/**
 * Hands pino's asynchronous stdout destination (SonicBoom) one string per event-loop turn instead of one per line.
 * SonicBoom measures the UTF-8 length of its whole pending buffer on every write, flattening the string it keeps
 * appending to, so under load each line cost a copy of every line queued before it (`npm run bench -- http`: a
 * log line cost about twice what formatting it did). Joined once per turn, the lines are measured and copied
 * once. Lines keep their order and wait at most for the current turn; `flush`, `flushSync` and process exit
 * (like pino's own exit hook for SonicBoom) hand over what is pending first.
 */
export function batchedDestination(target: FlushableDestination): BatchedDestination {
  let pending: string[] = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const lines = pending.length === 1 ? pending[0]! : pending.join('');
    pending = [];
    target.write(lines);
  };
  const destination: BatchedDestination = {
    write(line: string) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    },
    flush(callback) {
      drain();
      target.flush(callback);
    },
    flushSync() {
      drain();
      target.flushSync();
    },
  };
  for (const ref of liveBatchers) if (ref.deref() === undefined) liveBatchers.delete(ref);
  liveBatchers.add(new WeakRef(destination));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const ref of liveBatchers) {
        try {
          ref.deref()?.flushSync();
        } catch {
          // Exiting anyway: a destination that cannot write (not open yet, closed) has nothing to lose here.
        }
      }
    });
  }
  return destination;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; defaults to stdout. Tests pass a stream to capture every line. */
  destination?: pino.DestinationStream;
  /**
   * The active span's `trace_id` and `span_id` for every line (tracing.ts `logFields`); only when tracing is on, so
   * that without it no line pays for a mixin call.
   */
  traceFields?: () => Record<string, string>;
}

export function createLogger(options: LoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level,
      base: { service: 'orca' },
      timestamp: isoTimeOncePerMillisecond(),
      messageKey: 'msg',
      ...(options.traceFields ? { mixin: options.traceFields } : {}),
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => ((object as { [PRE_SCRUBBED]?: true })[PRE_SCRUBBED] ? object : (redactValue(object) as Record<string, unknown>)),
      },
      hooks: {
        // The message string is not part of the object `formatters.log` sees.
        logMethod(args, method) {
          const scrubbed = scrubStrings(args) as Parameters<typeof method>;
          // Without a message argument pino takes `log(err)` / `log({ err })`'s message from err.message after this
          // hook, unscrubbed: a connection string in an error reached the log in clear. Supply it scrubbed.
          const [first, second] = args as unknown[];
          if (typeof second !== 'string' && typeof first === 'object' && first !== null) {
            const holder = first as { err?: unknown; msg?: unknown };
            const error = first instanceof Error ? first : holder.msg === undefined ? holder.err : undefined;
            const message = (error as { message?: unknown } | null | undefined)?.message;
            if (typeof message === 'string') scrubbed.splice(1, 0, scrubString(message));
          }
          method.apply(this, scrubbed);
        },
      },
      serializers: {
        // pino runs serializers after `formatters.log`, where redactValue has already serialised and scrubbed
        // errors; pino's default `err` serializer would then relabel every error's type as "Object".
        err: (value: unknown) => value,
      },
    },
    options.destination ?? batchedDestination(pino.destination({ sync: false })),
  );
  // Child bindings bypass `formatters.log` (and pino resets `formatters.bindings` for children), so a secret
  // bound to a child logger was written in clear. Children inherit this method through their prototype.
  // Fastify passes `{}` as the options of every request's child; pino builds a child faster without options.
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactValue(bindings) as typeof bindings, childOptions && hasOwnKeys(childOptions) ? childOptions : undefined);
  } as typeof child;
  return logger;
}
