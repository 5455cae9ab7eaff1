import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrcaConfig } from '../../platform/config/schema.js';
import type { BackupManifest } from './manifest.js';
import { MANIFEST_FILE } from './manifest.js';

export type S3Settings = Pick<OrcaConfig, 's3Bucket' | 's3Endpoint' | 'awsRegion'>;

/**
 * Copies a finished backup to S3_BUCKET under `<backup name>/`: the data files first, the manifest last, so that a
 * manifest in the bucket means a complete copy. Credentials come from the AWS SDK's standard chain
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role). A custom S3_ENDPOINT (MinIO, Ceph,
 * s3rver…) is addressed path-style, which they all support.
 */
export async function copyToS3(settings: S3Settings, folder: string, name: string, manifest: BackupManifest, signal?: AbortSignal): Promise<string> {
  const bucket = settings.s3Bucket;
  if (!bucket) throw new Error('S3_BUCKET is not set');
  // Loaded at the first copy: the SDK costs megabytes of heap that deployments without S3_BUCKET never use.
  const { PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    region: settings.awsRegion,
    ...(settings.s3Endpoint ? { endpoint: settings.s3Endpoint, forcePathStyle: true } : {}),
  });
  try {
    for (const file of manifest.files) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${name}/${file.name}`,
          // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of a backup folder in BACKUP_DIR
          Body: createReadStream(join(folder, file.name)),
          ContentLength: file.bytes,
        }),
        signal ? { abortSignal: signal } : {},
      );
    }
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${name}/${MANIFEST_FILE}`,
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- the manifest of a backup folder in BACKUP_DIR
        Body: readFileSync(join(folder, MANIFEST_FILE)),
        ContentType: 'application/json',
      }),
      signal ? { abortSignal: signal } : {},
    );
  } finally {
    client.destroy();
  }
  return `s3://${bucket}/${name}/`;
}
