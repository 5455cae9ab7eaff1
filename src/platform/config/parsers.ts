/**
 * The parsers that turn a setting's raw string into a typed value. Each throws InvalidSetting with a sentence saying
 * what the value must be; the loader adds the variable's name.
 */
import { isIP } from 'node:net';
import { parseDuration } from './duration.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type RoleLimits = Partial<Record<'admin' | 'operator' | 'viewer' | 'ingest', number>>;

/** Thrown by a parser with a human sentence saying what is wrong (the variable name is added by the loader). */
export class InvalidSetting extends Error {}

/** One row of the settings table: each area of ORCA declares its rows in settings/<area>.ts. */
export interface Setting {
  env: string;
  /** The property of OrcaConfig that holds the parsed value. */
  key: string;
  default: string | undefined;
  description: string;
  /** Marks values that must never be echoed (in errors, `--help` or logs). */
  secret?: boolean;
  /**
   * The feature that will read this setting, for settings nothing reads yet: they are validated already (so a
   * deployment's whole configuration is checked), and `--help` and docs/CONFIGURATION.md mark them as planned.
   */
  planned?: string;
  parse: (raw: string) => unknown;
}

export function integer(min: number, max: number) {
  return (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new InvalidSetting(`must be an integer between ${min} and ${max}`);
    const value = Number(raw);
    if (value < min || value > max) throw new InvalidSetting(`must be an integer between ${min} and ${max}`);
    return value;
  };
}

export function positiveNumber(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidSetting('must be a non-negative number');
  return value;
}

export function fraction(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new InvalidSetting('must be a number between 0 and 1');
  return value;
}

export function duration(raw: string): number {
  const ms = parseDuration(raw);
  if (ms === undefined || ms <= 0) throw new InvalidSetting('must be a duration such as 500ms, 30s, 15m, 6h or 30d');
  return ms;
}

/** A duration that timers can hold (Node's setTimeout fires at once beyond 2^31 − 1 ms, about 24.8 days). */
export function durationUpTo(maxMs: number, maxLabel: string) {
  return (raw: string): number => {
    const ms = duration(raw);
    if (ms > maxMs) throw new InvalidSetting(`must be at most ${maxLabel}`);
    return ms;
  };
}

export function durationBetween(minMs: number, minLabel: string, maxMs: number, maxLabel: string) {
  return (raw: string): number => {
    const ms = duration(raw);
    if (ms < minMs || ms > maxMs) throw new InvalidSetting(`must be between ${minLabel} and ${maxLabel}`);
    return ms;
  };
}

export function url(protocols: string[]) {
  return (raw: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new InvalidSetting(`must be a URL (${protocols.join(', ')})`);
    }
    if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
      throw new InvalidSetting(`must use one of the schemes ${protocols.join(', ')}`);
    }
    return raw;
  };
}

export function text(raw: string): string {
  if (raw.trim() === '') throw new InvalidSetting('must not be empty');
  return raw.trim();
}

export function onOff(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'off' || value === 'false' || value === '0') return false;
  throw new InvalidSetting('must be on or off');
}

export function list(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function ipOrCidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d+$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export function ipsOrCidrs(raw: string): string[] {
  const entries = list(raw);
  const bad = entries.filter((entry) => !ipOrCidr(entry));
  if (bad.length > 0) throw new InvalidSetting(`not an IP address or CIDR range: ${bad.join(', ')}`);
  return entries;
}

export function corsOrigins(raw: string): string[] {
  const entries = list(raw);
  for (const entry of entries) {
    if (entry === '*') throw new InvalidSetting('"*" is refused: list the exact origins allowed (credentials are sent)');
    if (entry.includes('*')) throw new InvalidSetting(`wildcards are not supported: list each origin exactly (got ${entry})`);
    let parsed: URL;
    try {
      parsed = new URL(entry);
    } catch {
      throw new InvalidSetting(`not an origin: ${entry}`);
    }
    if (parsed.origin !== entry) throw new InvalidSetting(`not an exact origin (scheme://host[:port]): ${entry}`);
  }
  return entries;
}

export function trustProxy(raw: string): boolean | string[] {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === '0' || value === '') return false;
  if (value === 'true' || value === '1') return true;
  return ipsOrCidrs(raw);
}

export function logLevel(raw: string): LogLevel {
  const levels: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const value = raw.trim().toLowerCase() as LogLevel;
  if (!levels.includes(value)) throw new InvalidSetting(`must be one of ${levels.join(', ')}`);
  return value;
}

export function apiKeys(raw: string): string {
  for (const entry of list(raw)) {
    const parts = entry.split(':');
    if (parts.length !== 3 || parts.some((part) => part === '')) {
      // The entry itself is a secret: name only its position.
      throw new InvalidSetting('each entry must be name:role:secret');
    }
    if (!['admin', 'operator', 'viewer', 'ingest'].includes(parts[1] ?? '')) {
      throw new InvalidSetting(`role must be admin, operator, viewer or ingest (entry "${parts[0]}")`);
    }
  }
  return raw;
}

export function roleLimits(raw: string): RoleLimits {
  const limits: RoleLimits = {};
  for (const entry of list(raw)) {
    const [role, max, extra] = entry.split(':');
    if (extra !== undefined || !['admin', 'operator', 'viewer', 'ingest'].includes(role ?? '') || !/^\d+$/.test(max ?? '') || Number(max) < 1) {
      throw new InvalidSetting(`each entry must be role:max with role admin, operator, viewer or ingest (got "${entry}")`);
    }
    limits[role as keyof RoleLimits] = Number(max);
  }
  return limits;
}

export function bytes(raw: string): number {
  const match = /^(\d+)\s*(b|kib|kb|mib|mb)?$/i.exec(raw.trim());
  if (!match) throw new InvalidSetting('must be a size such as 1048576, 512KiB or 1MiB');
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Number(match[1]) * factor;
}

export function webhookSecret(raw: string): string {
  const value = raw.trim();
  // The value is a secret: the message names only what is expected.
  const bytes = /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value.slice('whsec_'.length), 'base64').length : 0;
  if (bytes < 24 || bytes > 64) throw new InvalidSetting('must be whsec_ followed by 24 to 64 random bytes in base64 (e.g. `echo whsec_$(openssl rand -base64 32)`)');
  return value;
}

export function secretKey(raw: string): string {
  const value = raw.trim();
  // The value is a secret: the message names only what is expected.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || Buffer.from(value, 'base64').length !== 32) {
    throw new InvalidSetting('must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)');
  }
  return value;
}

export function schemaName(raw: string): string {
  const value = raw.trim();
  // pg-boss accepts word characters only, at most 50, not starting with a digit (the name is spliced into its SQL).
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,49}$/.test(value)) throw new InvalidSetting('must be a PostgreSQL schema name: letters, digits and _, at most 50, not starting with a digit');
  return value;
}

export const optional = <T>(parse: (raw: string) => T) => parse as (raw: string) => T | undefined;
