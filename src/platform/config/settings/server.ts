/** The process: where it listens, its data directory, logging, and the HTTP server's limits and timeouts. */
import { bytes, duration, durationUpTo, integer, logLevel, text, type Setting } from '../parsers.js';

export const SERVER_SETTINGS = [
  { env: 'PORT', key: 'port', default: '3000', description: 'TCP port to listen on', parse: integer(0, 65535) },
  { env: 'HOST', key: 'host', default: '127.0.0.1', description: 'address to listen on', parse: text },
  { env: 'ORCA_DATA_DIR', key: 'dataDir', default: './.orca', description: 'embedded database (pgdata/), the first admin key (admin.key) and the source-secret key (secret.key)', parse: text },
  { env: 'LOG_LEVEL', key: 'logLevel', default: 'info', description: 'pino log level', parse: logLevel },
  { env: 'SHUTDOWN_TIMEOUT', key: 'shutdownTimeoutMs', default: '10s', description: 'longest graceful shutdown before the process exits anyway', parse: duration },
  { env: 'BODY_LIMIT', key: 'bodyLimitBytes', default: '1MiB', description: 'largest accepted request body', parse: bytes },
  { env: 'HEADERS_TIMEOUT', key: 'headersTimeoutMs', default: '10s', description: 'time a client has to send complete request headers (slow-loris defence)', parse: duration },
  { env: 'REQUEST_TIMEOUT', key: 'requestTimeoutMs', default: '30s', description: 'time a client has to send a complete request', parse: duration },
  {
    env: 'HANDLER_TIMEOUT',
    key: 'handlerTimeoutMs',
    default: '45s',
    description: 'longest ORCA works on one request, from routing to the answer, before answering 503 with Retry-After (keep it above DATABASE_HEAVY_STATEMENT_TIMEOUT)',
    parse: durationUpTo(3_600_000, '1h'),
  },
  { env: 'KEEP_ALIVE_TIMEOUT', key: 'keepAliveTimeoutMs', default: '5s', description: 'idle time before a keep-alive connection is closed', parse: duration },
  { env: 'MAX_HEADER_SIZE', key: 'maxHeaderSizeBytes', default: '16KiB', description: 'largest accepted request header block (431 beyond)', parse: bytes },
] as const satisfies readonly Setting[];
