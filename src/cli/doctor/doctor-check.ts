/**
 * What `orca doctor` reports (docs/CLI.md "orca doctor"): one check per thing a run needs, each `up`, `warn` or `down`
 * with what it saw and, unless it is up, the one line that fixes it. The `--json` output is this shape: scripts read
 * it, so fields are only ever added.
 */

export type CheckStatus = 'up' | 'warn' | 'down';

export interface DoctorCheck {
  status: CheckStatus;
  latency_ms: number;
  detail?: string;
  /** The fix, when the check is not up. */
  hint?: string;
}

export interface ConfigurationCheck extends DoctorCheck {
  /** The configuration file read (absolute path), or null when every setting came from the environment. */
  file: string | null;
}

export interface DirectoryCheck extends DoctorCheck {
  path: string;
  /** Space left for ORCA's user (statfs bavail × bsize) and the filesystem's size, when they could be read. */
  free_bytes?: number;
  size_bytes?: number;
}

export interface BackupCheck extends DoctorCheck {
  dir: string;
  last_outcome: 'success' | 'failure' | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  /** 2 × BACKUP_INTERVAL: a successful backup older than this fails the check. */
  max_age_seconds: number;
}

export interface ClockCheck extends DoctorCheck {
  /** The reference clock minus this host's, in ms (positive: the reference is ahead). */
  skew_ms?: number;
  /** How far the true skew may be from skew_ms: half the round trip, plus the reference's resolution. */
  uncertainty_ms?: number;
  reference?: 'database' | 'server';
}

export interface ReceiverProbe {
  name: string;
  kind: string;
  /** scheme://host:port only: a receiver URL's path, query and user info may be its credential. */
  target: string;
  status: 'up' | 'down';
  latency_ms: number;
  error?: string;
  hint?: string;
  /** The setting that keeps this receiver (ALERTMANAGER_URL, ALERT_WEBHOOK_URL), when it comes from one. */
  setting?: string;
}

export interface ReceiversCheck extends DoctorCheck {
  targets: ReceiverProbe[];
}

export type OverallStatus = 'ok' | 'degraded' | 'down';

/**
 * `down` when any check is down, except Redis: ORCA serves without it (rate limits fall back to per-process
 * counters) and stays ready, so Redis down alone is `degraded`, as are warnings. `down` is exit 1, the rest exit 0.
 */
export function overallStatus(checks: Record<string, { status: CheckStatus }>): OverallStatus {
  let degraded = false;
  for (const [name, check] of Object.entries(checks)) {
    if (check.status === 'down' && name !== 'redis') return 'down';
    if (check.status !== 'up') degraded = true;
  }
  return degraded ? 'degraded' : 'ok';
}

/** Every hint of a report, in the order of its checks (a receivers check carries one per failing receiver). */
export function collectHints(checks: Record<string, DoctorCheck>): string[] {
  const hints: string[] = [];
  for (const check of Object.values(checks)) {
    if (check.hint) hints.push(check.hint);
    if ('targets' in check) for (const target of (check as ReceiversCheck).targets) if (target.hint) hints.push(target.hint);
  }
  return hints;
}

export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** 1.5 GiB, 300 MiB, 12 kB: sizes as an operator reads them. */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(0)} MiB`;
  return `${Math.round(bytes / 1024)} kB`;
}

/** 3 d 4 h, 5 h 10 min, 42 s: durations as an operator reads them. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}
