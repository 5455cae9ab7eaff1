/**
 * The discovery suite's local vendors (the tests' fake AWS Lambda and n8n, test/http/discovery/fakes) in a worker
 * thread: a remote vendor answers on its own machine, so the servers here get their own event loop instead of
 * taking turns with the ORCA under measurement (in the same thread, each of the 10,000 ListTags answers would be
 * parsed, built and sent on ORCA's loop and counted in the run's time).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface VendorVolume {
  functions: number;
  workflows: number;
  accessKeyId: string;
  n8nApiKey: string;
}

export interface Vendors {
  lambdaUrl: string;
  n8nUrl: string;
  close(): Promise<void>;
}

export async function startVendorsInWorker(volume: VendorVolume): Promise<Vendors> {
  // The harness runs under tsx, whose hooks a worker does not inherit: it registers them before loading the servers.
  const entry = new URL('./discovery-vendors.worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(boot, { eval: true, workerData: volume });
  const failed = once(worker, 'error').then(([error]) => Promise.reject(error as Error));
  const [ready] = (await Promise.race([once(worker, 'message'), failed])) as [{ lambdaUrl: string; n8nUrl: string }];
  return {
    lambdaUrl: ready.lambdaUrl,
    n8nUrl: ready.n8nUrl,
    async close() {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
}
