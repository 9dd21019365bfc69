import type pg from 'pg';
import { withBulkClient } from './bulk-client.js';

/** Recomputes the platform-wide per-district fusion (L5) from the enterprise store's own tables, in one transaction. */
export async function refreshDistrictIndicators(pool: pg.Pool, now: Date): Promise<number> {
  return withBulkClient(pool, async (client) => {
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM district_indicators');
      const res = await client.query(
        `WITH e AS (SELECT district, count(*) AS n FROM enterprises GROUP BY district),
            t AS (SELECT en.district, sum(tr.tax_paid) AS tax FROM tax_records tr JOIN enterprises en ON en.id = tr.enterprise_id GROUP BY en.district),
            s AS (SELECT en.district, sum(si.headcount) AS heads FROM social_insurance si JOIN enterprises en ON en.id = si.enterprise_id GROUP BY en.district)
       INSERT INTO district_indicators (id, district, enterprise_count, total_tax_paid, insured_headcount, computed_at)
       SELECT row_number() OVER (ORDER BY e.district), e.district, e.n, COALESCE(t.tax, 0), COALESCE(s.heads, 0), $1
         FROM e LEFT JOIN t USING (district) LEFT JOIN s USING (district)`,
        [now],
      );
      await client.query('COMMIT');
      return res.rowCount ?? 0;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  });
}
