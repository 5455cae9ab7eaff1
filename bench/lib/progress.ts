import type { Progress } from './types.js';

/** Progress lines go to stderr on a terminal only: CI logs and redirected output stay clean. */
export function createProgress(prefix: string): Progress {
  if (!process.stderr.isTTY) return () => {};
  const started = Date.now();
  return (message) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
    process.stderr.write(`[${seconds}s] ${prefix}: ${message}\n`);
  };
}
