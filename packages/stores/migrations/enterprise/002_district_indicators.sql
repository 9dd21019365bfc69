-- Platform-wide fusion of registration, tax and social-insurance data per district:
-- an important-data (L5) candidate under GB/T 43697. Refreshed from the other tables.
CREATE TABLE district_indicators (
  id                 bigint PRIMARY KEY,
  district           text NOT NULL UNIQUE,
  enterprise_count   integer NOT NULL,
  total_tax_paid     numeric(20,2) NOT NULL,
  insured_headcount  bigint NOT NULL,
  computed_at        timestamptz NOT NULL
);
