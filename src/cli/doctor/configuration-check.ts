import { ConfigError, configFileUsed, loadConfig } from '../../platform/config/load.js';
import type { OrcaConfig } from '../../platform/config/schema.js';
import { elapsedMs, type ConfigurationCheck } from './doctor-check.js';

type Env = Record<string, string | undefined>;

export interface ConfigurationOutcome {
  /** The parsed configuration, when it is valid: every other check runs on it. */
  config: Readonly<OrcaConfig> | undefined;
  check: ConfigurationCheck;
}

/**
 * The configuration as every command loads it (environment over orca.config.yaml or ORCA_CONFIG_FILE), reported as
 * a check: which file was read, or every problem at once. The problems never show a secret setting's value
 * (loadConfig leaves those out).
 */
export function checkConfiguration(env?: Env, cwd?: string): ConfigurationOutcome {
  // Left undefined, both default to this process's environment and working directory, as for every command.
  const started = performance.now();
  const file = configFileUsed(env, cwd) ?? null;
  try {
    const config = loadConfig(env, cwd);
    const detail = file ? `valid: ${file} and the environment (the environment wins)` : 'valid: from the environment (no configuration file)';
    return { config, check: { status: 'up', latency_ms: elapsedMs(started), detail, file } };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      config: undefined,
      check: {
        status: 'down',
        latency_ms: elapsedMs(started),
        detail: error.problems.join('; '),
        hint:
          `fix the settings named above (${file ? `in ${file} or the environment, which wins` : 'in the environment'}): ` +
          '`orca doctor --help` and docs/CONFIGURATION.md list every setting with its format and default',
        file,
      },
    };
  }
}
