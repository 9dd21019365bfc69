/**
 * A pooled connection for bulk work — migrations, COPY, refreshes — on pools
 * that may carry a serving statement timeout. The timeout is lifted while the
 * work runs and restored (RESET: back to the connection's own setting) before
 * the connection returns to the pool; a connection whose work failed may be
 * mid-protocol or still without its limit, so it is discarded instead.
 */
import type pg from 'pg';

export async function withBulkClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SET statement_timeout = 0');
    const result = await work(client);
    await client.query('RESET statement_timeout');
    client.release();
    return result;
  } catch (e) {
    client.release(e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
}
