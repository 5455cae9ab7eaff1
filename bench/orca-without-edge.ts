/**
 * ORCA exactly as `orca start` runs it, except that the app is built with `buildApp(container, { edge: false })`:
 * no IP blocklist, authentication, rate limiting, security headers or CORS. Only the benchmark does this, to
 * measure what the security edge costs per request. Usage: `node orca-without-edge.mjs <path to dist>`.
 *
 * Compiled to JavaScript by the harness and run with plain `node`, like the other servers under test. The
 * product is loaded from the given build at run time; the `typeof import` types below vanish when compiled.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.argv[2];
if (!dist) throw new Error('usage: orca-without-edge <dist directory>');
const load = async <T>(file: string) => (await import(pathToFileURL(join(dist, file)).href)) as T;

const { loadConfig } = await load<typeof import('../src/platform/config/load.js')>('platform/config/load.js');
const { createContainer } = await load<typeof import('../src/container.js')>('container.js');
const { buildApp } = await load<typeof import('../src/app.js')>('app.js');

const config = loadConfig();
const container = await createContainer(config, { role: 'all', bootstrapKeys: { announce: () => {} } });
const app = await buildApp(container, { edge: false });
await app.listen({ port: config.port, host: config.host });

const stop = () => {
  app
    .close()
    .then(() => container.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
