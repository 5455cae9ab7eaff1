/** Backups, their retention and copy to S3-compatible storage, and tracing. */
import { duration, integer, optional, text, url, type Setting } from '../parsers.js';

export const BACKUPS_SETTINGS = [
  { env: 'BACKUP_DIR', key: 'backupDir', default: undefined, description: 'backup folder (default $ORCA_DATA_DIR/backups); see docs/backups.md', parse: optional(text) },
  { env: 'BACKUP_INTERVAL', key: 'backupIntervalMs', default: '6h', description: 'time between scheduled backups (run by a worker process)', parse: duration },
  { env: 'BACKUP_RETENTION', key: 'backupRetention', default: '28', description: 'how many backups to keep in BACKUP_DIR: the newest N (28 = a week at the default interval)', parse: integer(1, 100_000) },
  { env: 'S3_BUCKET', key: 's3Bucket', default: undefined, description: 'copy each backup to this S3-compatible bucket (credentials: the standard AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY… variables)', parse: optional(text) },
  { env: 'S3_ENDPOINT', key: 's3Endpoint', default: undefined, description: 'S3-compatible endpoint URL (unset → AWS S3); path-style addressing when set', parse: optional(url(['http', 'https'])) },
  { env: 'AWS_REGION', key: 'awsRegion', default: 'us-east-1', description: 'region of S3_BUCKET', parse: text },
  { env: 'OTEL_EXPORTER_OTLP_ENDPOINT', key: 'otelEndpoint', default: undefined, description: 'OpenTelemetry collector base URL: set, spans go to its /v1/traces by OTLP/HTTP (JSON); unset, no tracing is loaded (docs/observability.md, Traces)', parse: optional(url(['http', 'https'])) },
] as const satisfies readonly Setting[];
