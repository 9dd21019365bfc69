import type pg from 'pg';

/** Recomputes the platform-wide per-district fusion (L5) from the enterprise store's own tables. */
export async function refreshDistrictIndicators(pool: pg.Pool, now: Date): Promise<number> {
  const res = await pool.query(
    `WITH e AS (SELECT district, count(*) AS n FROM enterprises GROUP BY district),
          t AS (SELECT en.district, sum(tr.tax_paid) AS tax FROM tax_records tr JOIN enterprises en ON en.id = tr.enterprise_id GROUP BY en.district),
          s AS (SELECT en.district, sum(si.headcount) AS heads FROM social_insurance si JOIN enterprises en ON en.id = si.enterprise_id GROUP BY en.district),
          merged AS (SELECT row_number() OVER (ORDER BY e.district) AS id, e.district, e.n, COALESCE(t.tax, 0) AS tax, COALESCE(s.heads, 0) AS heads
                       FROM e LEFT JOIN t USING (district) LEFT JOIN s USING (district)),
          wipe AS (DELETE FROM district_indicators)
     INSERT INTO district_indicators (id, district, enterprise_count, total_tax_paid, insured_headcount, computed_at)
     SELECT id, district, n, tax, heads, $1 FROM merged`,
    [now],
  );
  return res.rowCount ?? 0;
}
