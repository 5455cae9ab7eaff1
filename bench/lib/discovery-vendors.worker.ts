/**
 * Worker thread of discovery-vendors.ts: starts the fake Lambda (a tenth of the functions tagged) and the fake n8n
 * (a fifth of the workflows with AI nodes and a tool), posts their URLs, and closes them when told.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startFakeLambda, lambdaFunction } from '../../test/http/discovery/fakes/lambda.js';
import { startFakeN8n, workflow } from '../../test/http/discovery/fakes/n8n.js';
import type { VendorVolume } from './discovery-vendors.js';

const volume = workerData as VendorVolume;
const lambda = await startFakeLambda({ accessKeyId: volume.accessKeyId, functions: Array.from({ length: volume.functions }, (_, index) => lambdaFunction(`fn-${index}`)) });
for (const fn of lambda.functions.filter((_, index) => index % 10 === 0)) lambda.tags.set(fn.FunctionArn, { owner: 'platform', team: 'bench' });
const n8n = await startFakeN8n({
  apiKey: volume.n8nApiKey,
  workflows: Array.from({ length: volume.workflows }, (_, index) => workflow(`w${index}`, { ai: index % 5 === 0, tools: index % 5 === 0 ? [{ name: 'lookup', description: 'Look up a record' }] : [] })),
});
parentPort!.once('message', () => {
  void Promise.all([lambda.close(), n8n.close()]).then(() => parentPort!.close());
});
parentPort!.postMessage({ lambdaUrl: lambda.url, n8nUrl: n8n.url });
