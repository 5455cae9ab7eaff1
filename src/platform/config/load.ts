import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SETTINGS, InvalidSetting, type OrcaConfig } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads `orca.config.yaml` (path overridable with ORCA_CONFIG_FILE) when present. Its keys are the variable
 * names of docs/CONFIGURATION.md; the environment wins over the file so that deploy-time overrides behave as operators expect.
 */
function readConfigFile(env: Env, cwd: string): Env {
  const path = configFilePath(env, cwd);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the config file the operator named (ORCA_CONFIG_FILE), never a request's
  if (!existsSync(path)) {
    if (env.ORCA_CONFIG_FILE) throw new ConfigError([`ORCA_CONFIG_FILE: file not found: ${path}`]);
    return {};
  }
  let document: unknown;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the config file the operator named (ORCA_CONFIG_FILE), never a request's
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`${path}: not valid YAML (${(error as Error).message.split('\n')[0]})`]);
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) throw new ConfigError([`${path}: must be a mapping of VARIABLE: value`]);
  const known = new Set(SETTINGS.map((setting) => setting.env));
  const values: Env = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(document)) {
    if (!known.has(key as (typeof SETTINGS)[number]['env'])) problems.push(`${path}: unknown setting ${key}`);
    else values[key] = value === null ? undefined : String(value);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values;
}

/** Where the configuration file is looked for: ORCA_CONFIG_FILE, or orca.config.yaml in the working directory. */
function configFilePath(env: Env, cwd: string): string {
  return resolve(cwd, env.ORCA_CONFIG_FILE ?? 'orca.config.yaml');
}

/** The configuration file loadConfig() reads with this environment (absolute path), or undefined when there is none. */
export function configFileUsed(env: Env = process.env, cwd: string = process.cwd()): string | undefined {
  const path = configFilePath(env, cwd);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the config file the operator named (ORCA_CONFIG_FILE), never a request's
  return existsSync(path) ? path : undefined;
}

/** Parses every setting, reports every problem at once, and returns a frozen config object. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Readonly<OrcaConfig> {
  // An empty variable means "not set": it must not hide a value from the file (docs/CONFIGURATION.md).
  const setInEnv = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const merged: Env = { ...readConfigFile(env, cwd), ...setInEnv };
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const setting of SETTINGS) {
    const supplied = merged[setting.env];
    const raw = supplied === undefined || supplied === '' ? setting.default : supplied;
    if (raw === undefined) {
      config[setting.key] = undefined;
      continue;
    }
    try {
      config[setting.key] = setting.parse(raw);
    } catch (error) {
      if (!(error instanceof InvalidSetting)) throw error;
      const shown = 'secret' in setting && setting.secret ? '' : ` (got "${raw.length > 80 ? `${raw.slice(0, 80)}…` : raw}")`;
      problems.push(`${setting.env}: ${error.message}${shown}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config as unknown as OrcaConfig);
}
