import { DemoError, type ApiResponse, type DemoClient } from '../client.js';

/** Stops the demo with one actionable line when ORCA is unreachable or the key cannot create sources. */
export async function checkAccess(client: DemoClient, baseUrl: string): Promise<void> {
  let answer: ApiResponse;
  try {
    answer = await client.get('/api/v1/sources?limit=1');
  } catch (error) {
    if (error instanceof DemoError) throw error;
    const reason = (error as Error).name === 'TimeoutError' ? 'no answer in time' : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    throw new DemoError(`cannot reach ORCA at ${baseUrl} (${reason}); start it with "orca start" or pass --url`);
  }
  if (answer.status === 401) throw new DemoError(`ORCA at ${baseUrl} refused the API key (401); pass an admin key with --key`);
  if (answer.status === 403) throw new DemoError('the API key is not an admin key (403): creating sources needs one');
}
