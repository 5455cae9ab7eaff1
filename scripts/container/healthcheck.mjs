// The container image's HEALTHCHECK (Dockerfile): exits 0 when ORCA's readiness probe answers 200, 1 otherwise
// (not listening yet, database unreachable, migrations pending, shutting down). The image has no curl: Node's own
// fetch does it. It asks the loopback address when ORCA listens on every address (HOST 0.0.0.0 or ::).
/* global fetch, AbortSignal -- Node's own, since Node 18 */
const port = process.env.PORT || '3000';
const host = !process.env.HOST || process.env.HOST === '0.0.0.0' || process.env.HOST === '::' ? '127.0.0.1' : process.env.HOST;
const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

try {
  const response = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(4000) });
  if (!response.ok) console.error(`healthcheck: ${origin}/readyz answered ${response.status}`);
  process.exitCode = response.ok ? 0 : 1;
} catch (error) {
  console.error(`healthcheck: ${origin}/readyz: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
