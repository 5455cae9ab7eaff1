type Read = () => unknown;

/**
 * Runs independent reads side by side when they go through the pool (each statement takes its own connection),
 * and one after another when they share a transaction: a transaction is one connection, which runs one statement
 * at a time, and node-postgres's implicit queue for a statement sent while another runs is deprecated (it prints
 * a warning today and is removed in pg@9).
 */
export async function readAll<const T extends readonly Read[]>(
  concurrently: boolean,
  reads: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  type Results = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  if (concurrently) return (await Promise.all(reads.map((read) => read()))) as Results;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as Results;
}
