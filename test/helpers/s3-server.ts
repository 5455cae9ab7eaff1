import S3rver from 's3rver';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** s3rver accepts these fixed credentials (and signs nothing else). */
  credentials: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string };
  close(): Promise<void>;
}

/** An S3-compatible server (s3rver, from npm) on a free loopback port, with one empty bucket, files in a temp dir. */
export async function startLocalS3(bucket = 'orca-backups'): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'orca-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    credentials: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
