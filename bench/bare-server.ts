/**
 * The baseline: Fastify with nothing else (no hooks, no schemas, no logger). GET /bare answers the same body as
 * ORCA's /livez; POST /bare also parses a JSON body (Fastify's own parser) and answers the same, the floor for a
 * route that receives JSON such as /policy/evaluate. The harness compiles this file to plain JavaScript and runs it with `node` and no flags,
 * exactly like the ORCA server under test, so that the two differ only in what the application does.
 */
import Fastify from 'fastify';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ status: 'ok' }));
app.post('/bare', async () => ({ status: 'ok' }));

await app.listen({ port, host });

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
