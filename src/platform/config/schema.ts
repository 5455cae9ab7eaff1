/**
 * The single table of ORCA settings (docs/CONFIGURATION.md). Each area declares its rows in settings/<area>.ts: the
 * environment variable, its default, what it means and how a raw string becomes a typed value (parsers.ts).
 * `orca start --help` and docs/CONFIGURATION.md are generated from this table, and the type of the parsed
 * configuration is derived from it, so neither the documentation nor the type can drift from the parser.
 */
import { ALERTS_SETTINGS } from './settings/alerts.js';
import { APPROVALS_SETTINGS } from './settings/approvals.js';
import { BACKUPS_SETTINGS } from './settings/backups.js';
import { CONSOLE_SETTINGS } from './settings/console.js';
import { DATABASE_SETTINGS } from './settings/database.js';
import { DISCOVERY_SETTINGS } from './settings/discovery.js';
import { GOVERNANCE_SETTINGS } from './settings/governance.js';
import { JOBS_SETTINGS } from './settings/jobs.js';
import { OUTBOUND_SETTINGS } from './settings/outbound.js';
import { REMEDIATION_SETTINGS } from './settings/remediation.js';
import { SECURITY_SETTINGS } from './settings/security.js';
import { REPORTS_SETTINGS } from './settings/reports.js';
import { SERVER_SETTINGS } from './settings/server.js';

export { InvalidSetting, type LogLevel } from './parsers.js';

export type ProcessRole = 'api' | 'worker' | 'all';

/** In the order `--help` and docs/CONFIGURATION.md list them. */
export const SETTINGS = [
  ...SERVER_SETTINGS,
  ...DATABASE_SETTINGS,
  ...SECURITY_SETTINGS,
  ...GOVERNANCE_SETTINGS,
  ...OUTBOUND_SETTINGS,
  ...JOBS_SETTINGS,
  ...ALERTS_SETTINGS,
  ...REMEDIATION_SETTINGS,
  ...APPROVALS_SETTINGS,
  ...BACKUPS_SETTINGS,
  ...CONSOLE_SETTINGS,
  ...DISCOVERY_SETTINGS,
  ...REPORTS_SETTINGS,
] as const;

type AnySetting = (typeof SETTINGS)[number];

/** The parsed configuration: one property per setting, typed by what its parser returns. */
export type OrcaConfig = { -readonly [S in AnySetting as S['key']]: ReturnType<S['parse']> };

/** How a setting is described in `--help` and docs/CONFIGURATION.md: planned settings say so first. */
export function describeSetting(setting: { description: string; planned?: string }): string {
  return setting.planned ? `planned (${setting.planned}; not read yet): ${setting.description}` : setting.description;
}
