/** The web console served at /console: how long a signed-in session lasts, and where its built files are (docs/console.md). */
import { durationBetween, optional, text, type Setting } from '../parsers.js';

export const CONSOLE_SETTINGS = [
  {
    env: 'CONSOLE_SESSION_TTL',
    key: 'consoleSessionTtlMs',
    default: '8h',
    description: 'how long a console sign-in lasts before the browser is sent back to sign in (never past the expiry of the key it was made with)',
    parse: durationBetween(60_000, '1m', 7 * 24 * 3_600_000, '7d'),
  },
  {
    env: 'CONSOLE_DIR',
    key: 'consoleDir',
    default: undefined,
    description: 'folder of the console’s built files (default: dist/console of the ORCA package, written by npm run build)',
    parse: optional(text),
  },
] as const satisfies readonly Setting[];
