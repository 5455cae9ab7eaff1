import { SETTINGS, describeSetting } from '../platform/config/schema.js';

/** The environment table for `--help`, generated from the same table the parser uses. */
export function configHelp(): string {
  const width = Math.max(...SETTINGS.map((setting) => setting.env.length));
  const lines = SETTINGS.map(
    (setting) => `  ${setting.env.padEnd(width)}  ${describeSetting(setting)} (default: ${setting.default === undefined || setting.default === '' ? 'unset' : setting.default})`,
  );
  return `\nEnvironment (also read from orca.config.yaml, or the file named by ORCA_CONFIG_FILE):\n${lines.join('\n')}\n`;
}
