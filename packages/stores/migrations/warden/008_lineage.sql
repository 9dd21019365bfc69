-- Lineage, embedded backend: datasets (tables) and fields (columns) keyed by asset URN, and the
-- edges between them with their OpenLineage transformation type, masking flag and producing job/run.
-- Walks are recursive CTEs over the two edge indexes (from_urn via the primary key, to_urn below).
CREATE TABLE warden.lineage_nodes (
  urn text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('DATASET', 'FIELD')),
  dataset_urn text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'FIELD') = (dataset_urn IS NOT NULL))
);

CREATE INDEX lineage_nodes_dataset ON warden.lineage_nodes (dataset_urn) WHERE dataset_urn IS NOT NULL;

CREATE TABLE warden.lineage_edges (
  from_urn text NOT NULL REFERENCES warden.lineage_nodes (urn),
  to_urn text NOT NULL REFERENCES warden.lineage_nodes (urn),
  type text NOT NULL,
  subtype text NOT NULL,
  masking boolean NOT NULL DEFAULT false,
  job_namespace text,
  job_name text,
  run_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (from_urn, to_urn, type, subtype),
  CHECK (
    (type = 'DIRECT' AND subtype IN ('IDENTITY', 'TRANSFORMATION', 'AGGREGATION'))
    OR (type = 'INDIRECT' AND subtype IN ('JOIN', 'FILTER', 'GROUP_BY', 'SORT', 'WINDOW', 'CONDITIONAL'))
  ),
  CHECK ((job_namespace IS NULL) = (job_name IS NULL))
);

CREATE INDEX lineage_edges_to ON warden.lineage_edges (to_urn, from_urn);
CREATE INDEX lineage_edges_run ON warden.lineage_edges (run_id) WHERE run_id IS NOT NULL;
CREATE INDEX lineage_edges_job ON warden.lineage_edges (job_namespace, job_name) WHERE job_name IS NOT NULL;
