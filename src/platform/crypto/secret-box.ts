import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Secrets ORCA must use itself (a source's HMAC key, a receiver's signing secret or token) are stored encrypted rather than
 * hashed: AES-256-GCM with a random 96-bit IV and the owning row's id as additional data, so a ciphertext copied onto
 * another row does not decrypt. Format: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

const VERSION = 'v1';

export function createSecretBox(key: () => Buffer): SecretBox {
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key(), iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    open(sealed, context) {
      const [version, iv, tag, ciphertext] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error('stored secret has an unknown format');
      }
      const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      // A wrong key (replicas not sharing ORCA_SECRET_KEY) fails the tag check here rather than verifying garbage.
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

export const SECRET_KEY_FILE = 'secret.key';

/**
 * The key from ORCA_SECRET_KEY, or else from ORCA_DATA_DIR/secret.key, created (mode 0600) on first use. The file
 * is created atomically so that two processes starting together on one data directory end up with one key.
 * Replicas sharing a PostgreSQL server do not share a data directory: they must all be given ORCA_SECRET_KEY.
 */
export function secretKeyLoader(config: { secretKey: string | undefined; dataDir: string }): () => Buffer {
  let key: Buffer | undefined;
  return () => {
    if (key) return key;
    if (config.secretKey) {
      key = Buffer.from(config.secretKey, 'base64');
      return key;
    }
    const file = join(config.dataDir, SECRET_KEY_FILE);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the key file under ORCA_DATA_DIR, from configuration, never a request's
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Written to a private temporary file, then linked into place: link fails if the key exists, so a second
    // process never reads a half-written file and both end up with the same key.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the key file under ORCA_DATA_DIR, from configuration, never a request's
    writeFileSync(temporary, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the key file under ORCA_DATA_DIR, from configuration, never a request's
      linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the key file under ORCA_DATA_DIR, from configuration, never a request's
      unlinkSync(temporary);
    }
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the key file under ORCA_DATA_DIR, from configuration, never a request's
    const loaded = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (loaded.length !== 32) throw new Error(`${file} does not hold a base64 32-byte key`);
    key = loaded;
    return key;
  };
}
