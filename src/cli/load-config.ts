import { ConfigError, loadConfig } from '../platform/config/load.js';
import type { OrcaConfig } from '../platform/config/schema.js';
import { EXIT } from './exit-codes.js';

/** Invalid configuration stops the process with exit code 2 and one line per problem, naming the variable. */
export function loadConfigOrExit(): Readonly<OrcaConfig> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`orca: ${error.message}`);
      process.exit(EXIT.invalidConfig);
    }
    throw error;
  }
}
