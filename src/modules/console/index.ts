import { createConsoleBuildLoader, DEFAULT_CONSOLE_DIR } from './console-assets.js';
import { consoleRoutes } from './console.routes.js';

export { DEFAULT_CONSOLE_DIR, type ConsoleManifest } from './console-assets.js';

/** The web console's files (docs/console.md), served from the build in `dir` (dist/console by default). */
export function createConsoleModule(deps: { dir?: string | undefined } = {}) {
  return { routes: consoleRoutes(createConsoleBuildLoader(deps.dir ?? DEFAULT_CONSOLE_DIR)) };
}
