-- Consumption lineage (ARCHITECTURE step 9, app ──received──▶ field): per principal, UTC day, field
-- and disclosure, how many reads delivered the field and how many rows those reads returned.
-- Written by the gateway's consumption recorder as upserts of counters, flushed in the background.
CREATE TABLE warden.consumption (
  principal_id uuid NOT NULL,
  principal_name text NOT NULL,
  day date NOT NULL,
  urn text NOT NULL,
  disclosure text NOT NULL CHECK (disclosure IN ('CLEAR', 'MASK')),
  reads bigint NOT NULL CHECK (reads >= 0),
  rows bigint NOT NULL CHECK (rows >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal_id, day, urn, disclosure)
);

-- Impact analysis asks "who received these fields": by field.
CREATE INDEX consumption_urn ON warden.consumption (urn, principal_id);
