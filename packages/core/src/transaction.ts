/**
 * One transaction on a pooled connection: BEGIN, the work, COMMIT — or
 * ROLLBACK when the work (or the commit) fails, and the error goes on. Typed
 * structurally, so core needs no database driver; with a pg.Pool the work gets
 * a pg.PoolClient.
 */
export interface TransactionClient {
  query(text: string): Promise<unknown>;
  release(): void;
}

export async function inTransaction<C extends TransactionClient, T>(
  pool: { connect(): Promise<C> },
  work: (client: C) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
