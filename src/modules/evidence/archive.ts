/**
 * The evidence archive: a gzipped tar written as a stream, and a SHA256SUMS manifest of every file in it, in the
 * format `sha256sum -c` reads, written last. A tar header states its entry's size, so files whose size is not known
 * in advance (JSON Lines of a period's rows) are first spooled to a temporary file, hashed on the way, then copied
 * into the archive: memory stays bounded by one page of rows whatever the period holds.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

export interface ArchivedFile {
  /** The path inside the archive's top folder. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface SpooledFile extends ArchivedFile {
  /** Where the spooled bytes wait on disk. */
  file: string;
  /** Lines written. */
  records: number;
}

/** Writes `lines` (one JSON document each) to `dir/name`, hashing as it goes; waits whenever the disk lags. */
export async function spoolLines(dir: string, path: string, lines: AsyncIterable<string> | Iterable<string>): Promise<SpooledFile> {
  const file = join(dir, path.replace(/[^A-Za-z0-9._-]/g, '_'));
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a fixed file name inside a temporary directory ORCA created for this archive
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  try {
    for await (const line of lines) {
      const chunk = Buffer.from(`${line}\n`, 'utf8');
      hash.update(chunk);
      bytes += chunk.length;
      records += 1;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { path, file, bytes, records, sha256: hash.digest('hex') };
}

export function sha256Line(file: ArchivedFile): string {
  return `${file.sha256}  ${file.path}\n`;
}

export interface TarGzWriter {
  /** The .tar.gz bytes, to be sent or written as they come. */
  output: Readable;
  addText(path: string, text: string): Promise<ArchivedFile>;
  addSpooled(spooled: SpooledFile): Promise<ArchivedFile>;
  /** Adds SHA256SUMS (every file added so far) and ends the archive. */
  finish(): Promise<void>;
  abort(error: Error): void;
}

/** Every entry under `root/` (one folder, so that extracting never spreads files into the current directory). */
export function createTarGzWriter(root: string, mtime: Date): TarGzWriter {
  const pack = tar.pack();
  const gzip = createGzip();
  const files: ArchivedFile[] = [];
  // Node's own pipeline between the tar stream and gzip: an error or a consumer that goes away tears both down.
  pipeline(Readable.from(pack, { objectMode: false }), gzip, () => undefined);
  const header = (path: string, size: number) => ({ name: `${root}/${path}`, size, mtime, mode: 0o644, type: 'file' as const });

  function addBuffer(path: string, content: Buffer, sha256: string): Promise<ArchivedFile> {
    return new Promise((resolve, reject) => {
      pack.entry(header(path, content.length), content, (error) => {
        if (error) return reject(error);
        const archived = { path, bytes: content.length, sha256 };
        files.push(archived);
        resolve(archived);
      });
    });
  }

  return {
    output: gzip,

    addText(path, text) {
      const content = Buffer.from(text, 'utf8');
      return addBuffer(path, content, createHash('sha256').update(content).digest('hex'));
    },

    async addSpooled(spooled) {
      let entry!: ReturnType<typeof pack.entry>;
      const written = new Promise<void>((resolve, reject) => {
        entry = pack.entry(header(spooled.path, spooled.bytes), (error) => (error ? reject(error) : resolve()));
      });
      // Awaited below; until then a failure must not count as unhandled.
      written.catch(() => undefined);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the spooled file this writer's caller created in its temporary directory
      for await (const chunk of createReadStream(spooled.file)) {
        if (!entry.write(chunk as Buffer)) await Promise.race([once(entry, 'drain'), written]);
      }
      // streamx's end takes a last chunk; null is none.
      entry.end(null);
      await written;
      const archived = { path: spooled.path, bytes: spooled.bytes, sha256: spooled.sha256 };
      files.push(archived);
      return archived;
    },

    async finish() {
      await this.addText('SHA256SUMS', files.map(sha256Line).join(''));
      pack.finalize();
    },

    abort(error) {
      pack.destroy(error);
      gzip.destroy(error);
    },
  };
}
