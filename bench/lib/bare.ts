import { join } from 'node:path';
import { compileStandalone } from './compile.js';
import { freePort, HOST, startServerProcess, type ServerProcess } from './server-process.js';
import type { SuiteContext } from './types.js';

/** Starts bench/bare-server.ts (compiled to JavaScript, run with plain `node`): the bare Fastify baseline. */
export async function startBare(context: SuiteContext): Promise<ServerProcess> {
  const script = compileStandalone(join(context.repoRoot, 'bench', 'bare-server.ts'), join(context.workDir, 'bare'), context.repoRoot);
  const port = await freePort();
  context.progress('starting bare Fastify');
  return startServerProcess({
    name: 'bare Fastify',
    args: [script],
    cwd: context.workDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST, PORT: String(port) },
    port,
    readyPath: '/bare',
    stdoutPath: '/dev/null',
  });
}
