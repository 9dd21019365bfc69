-- Control plane (schema warden): catalog, principals, audit.
CREATE SCHEMA IF NOT EXISTS warden;

CREATE TABLE warden.assets (
  urn         text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('source', 'table', 'column')),
  source      text NOT NULL,
  parent_urn  text REFERENCES warden.assets(urn),
  data_type   text,
  owner       text,
  description text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Labels are versioned and append-only: the current label of an asset is its latest version.
CREATE TABLE warden.labels (
  id             bigserial PRIMARY KEY,
  urn            text NOT NULL REFERENCES warden.assets(urn),
  version        integer NOT NULL,
  category       text NOT NULL,
  level          text NOT NULL CHECK (level IN ('L1', 'L2', 'L3', 'L4', 'L5')),
  core           boolean NOT NULL DEFAULT false,
  pi             text NOT NULL DEFAULT 'none' CHECK (pi IN ('none', 'pi', 'sensitive_pi')),
  secret         boolean NOT NULL DEFAULT false,
  mask           text,
  basis          jsonb NOT NULL DEFAULT '{}',
  confidence     real,
  state          text NOT NULL CHECK (state IN ('SUGGESTED', 'PENDING_REVIEW', 'APPROVED', 'REJECTED', 'RECHECK_DUE')),
  proposed_by    text NOT NULL,
  reviewed_by    text,
  reviewed_at    timestamptz,
  next_review_at timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (urn, version)
);
CREATE VIEW warden.current_labels AS
  SELECT DISTINCT ON (urn) * FROM warden.labels ORDER BY urn, version DESC;

CREATE TABLE warden.principals (
  id         uuid PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  kind       text NOT NULL CHECK (kind IN ('service', 'user')),
  roles      text[] NOT NULL,
  disabled   boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE warden.api_keys (
  key_id       text PRIMARY KEY,
  principal_id uuid NOT NULL REFERENCES warden.principals(id),
  secret_hash  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  last_used_at timestamptz
);

-- The audit write path. The hash chain, checkpoints and insert-only grants come with the L3+ access work.
CREATE TABLE warden.audit_events (
  seq          bigserial PRIMARY KEY,
  event_id     uuid NOT NULL UNIQUE,
  ts           timestamptz NOT NULL,
  actor_id     uuid,
  actor_name   text NOT NULL,
  roles        text[] NOT NULL,
  auth         text[] NOT NULL,
  source_ip    text,
  request_id   text,
  action       text NOT NULL,
  operation    text,
  operation_hash text,
  highest_level text,
  fields       jsonb NOT NULL DEFAULT '[]',
  counts       jsonb NOT NULL DEFAULT '{}',
  rows         integer NOT NULL DEFAULT 0,
  outcome      text NOT NULL,
  reason_code  text
);

-- Label changes reach every gateway at once (no polling cache).
CREATE FUNCTION warden.notify_label_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('warden_labels', NEW.urn);
  RETURN NEW;
END $$;
CREATE TRIGGER labels_notify AFTER INSERT ON warden.labels FOR EACH ROW EXECUTE FUNCTION warden.notify_label_change();
