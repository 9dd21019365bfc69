-- The tamper-evident audit log (STANDARDS §7): a gap-free, writer-assigned sequence and a hash chain
-- (hash = H(prev_hash || canonical bytes of the row), genesis prev_hash = 32 zero bytes), insert-only
-- in the database itself (triggers and role grants), and a table of signed checkpoints.
-- The canonical form is documented in packages/audit/README.md; rows already present are chained
-- here with sha256() in that same form, so an older install verifies from seq 1.

ALTER TABLE warden.audit_events
  ALTER COLUMN seq DROP DEFAULT,
  ADD COLUMN session_id text,
  ADD COLUMN grant_id   text,
  ADD COLUMN purpose    text,
  ADD COLUMN subject    text,
  ADD COLUMN detail     jsonb,
  ADD COLUMN alg        text,
  ADD COLUMN prev_hash  bytea,
  ADD COLUMN hash       bytea;
DROP SEQUENCE IF EXISTS warden.audit_events_seq_seq;

-- RFC 8785 (JCS) of a jsonb value: keys sorted, no whitespace, strings escaped as JSON.stringify does.
-- Integers print in full (as JavaScript prints those below 1e21); other numbers through float8.
CREATE FUNCTION pg_temp.audit_jcs(j jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  n numeric;
BEGIN
  CASE jsonb_typeof(j)
    WHEN 'object' THEN
      RETURN '{' || coalesce((SELECT string_agg(to_json(k)::text || ':' || pg_temp.audit_jcs(v), ',' ORDER BY k COLLATE "C")
                              FROM jsonb_each(j) AS e(k, v)), '') || '}';
    WHEN 'array' THEN
      RETURN '[' || coalesce((SELECT string_agg(pg_temp.audit_jcs(v), ',' ORDER BY i)
                              FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, i)), '') || ']';
    WHEN 'string' THEN
      RETURN to_json(j #>> '{}')::text;
    WHEN 'number' THEN
      n := (j #>> '{}')::numeric;
      IF n = trunc(n) AND abs(n) < 1e21 THEN RETURN trim_scale(n)::text; END IF;
      RETURN (n::float8)::text;
    ELSE
      RETURN j::text; -- true, false, null
  END CASE;
END $$;

CREATE FUNCTION pg_temp.audit_str(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(to_json(t)::text, 'null') $$;

-- Chain the rows already present, renumbered 1..n in their order (a renumbered row keeps its old number in detail).
-- Older sinks stored the source address in plain text; STANDARDS §7 allows keyed hashes only and the key
-- is not known here, so a legacy address is dropped (source_ip NULL, detail.legacy_ip_dropped = true) before chaining.
DO $$
DECLARE
  r record;
  next_seq bigint := 0;
  prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  canonical text;
  d jsonb;
BEGIN
  FOR r IN SELECT * FROM warden.audit_events ORDER BY seq LOOP
    next_seq := next_seq + 1;
    d := CASE WHEN r.seq <> next_seq THEN jsonb_build_object('legacy_seq', r.seq) END;
    IF r.source_ip IS NOT NULL THEN
      d := coalesce(d, '{}'::jsonb) || jsonb_build_object('legacy_ip_dropped', true);
    END IF;
    canonical := '{'
      || '"action":' || pg_temp.audit_str(r.action)
      || ',"actor_id":' || pg_temp.audit_str(r.actor_id::text)
      || ',"actor_name":' || pg_temp.audit_str(r.actor_name)
      || ',"alg":"sha256"'
      || ',"auth":' || to_json(r.auth)::text
      || ',"counts":' || pg_temp.audit_jcs(r.counts)
      || ',"detail":' || coalesce(pg_temp.audit_jcs(d), 'null')
      || ',"event_id":' || pg_temp.audit_str(r.event_id::text)
      || ',"fields":' || pg_temp.audit_jcs(r.fields)
      || ',"grant_id":null'
      || ',"highest_level":' || pg_temp.audit_str(r.highest_level)
      || ',"operation":' || pg_temp.audit_str(r.operation)
      || ',"operation_hash":' || pg_temp.audit_str(r.operation_hash)
      || ',"outcome":' || pg_temp.audit_str(r.outcome)
      || ',"purpose":null'
      || ',"reason_code":' || pg_temp.audit_str(r.reason_code)
      || ',"request_id":' || pg_temp.audit_str(r.request_id)
      || ',"roles":' || to_json(r.roles)::text
      || ',"rows":' || r.rows::text
      || ',"seq":' || next_seq::text
      || ',"session_id":null'
      || ',"source_ip":null'
      || ',"subject":null'
      || ',"ts":' || to_json(to_char(r.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
      || '}';
    UPDATE warden.audit_events
       SET seq = next_seq, source_ip = NULL, detail = d, alg = 'sha256', prev_hash = prev,
           hash = sha256(prev || convert_to(canonical, 'UTF8'))
     WHERE seq = r.seq
     RETURNING hash INTO prev;
  END LOOP;
END $$;

ALTER TABLE warden.audit_events
  ALTER COLUMN alg SET NOT NULL,
  ALTER COLUMN prev_hash SET NOT NULL,
  ALTER COLUMN hash SET NOT NULL,
  ADD CONSTRAINT audit_events_seq_positive CHECK (seq >= 1),
  ADD CONSTRAINT audit_events_alg_known CHECK (alg IN ('sha256', 'sm3')),
  ADD CONSTRAINT audit_events_hash_size CHECK (octet_length(prev_hash) = 32 AND octet_length(hash) = 32);

-- Signed checkpoints: Ed25519 over {headHash, prevSignature, treeSize, ts}; also appended to a file outside the database.
CREATE TABLE warden.audit_checkpoints (
  tree_size      bigint PRIMARY KEY CHECK (tree_size >= 1),
  head_hash      bytea NOT NULL CHECK (octet_length(head_hash) = 32),
  ts             timestamptz NOT NULL,
  prev_signature bytea,
  signature      bytea NOT NULL,
  key_id         text NOT NULL
);

-- Each event extends the chain: seq is the previous seq + 1 and prev_hash is the previous row's hash.
-- A writer that lost a race (another process appended first) gets SQLSTATE WA001 or a key conflict and retries.
CREATE FUNCTION warden.audit_chain_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  prev bytea;
BEGIN
  IF NEW.seq = 1 THEN
    prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  ELSE
    SELECT hash INTO prev FROM warden.audit_events WHERE seq = NEW.seq - 1;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'audit chain: event % does not follow the last event', NEW.seq USING ERRCODE = 'WA001';
    END IF;
  END IF;
  IF NEW.prev_hash IS DISTINCT FROM prev THEN
    RAISE EXCEPTION 'audit chain: event % does not link to the hash of event %', NEW.seq, NEW.seq - 1 USING ERRCODE = 'WA001';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_events_chain AFTER INSERT ON warden.audit_events FOR EACH ROW EXECUTE FUNCTION warden.audit_chain_check();

-- A checkpoint extends the signature chain and names the event hash at its tree size.
CREATE FUNCTION warden.audit_checkpoint_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last warden.audit_checkpoints;
BEGIN
  SELECT * INTO last FROM warden.audit_checkpoints WHERE tree_size < NEW.tree_size ORDER BY tree_size DESC LIMIT 1;
  IF EXISTS (SELECT 1 FROM warden.audit_checkpoints WHERE tree_size > NEW.tree_size)
     OR NEW.prev_signature IS DISTINCT FROM last.signature THEN
    RAISE EXCEPTION 'audit checkpoint % does not follow the last checkpoint', NEW.tree_size USING ERRCODE = 'WA001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM warden.audit_events WHERE seq = NEW.tree_size AND hash = NEW.head_hash) THEN
    RAISE EXCEPTION 'audit checkpoint % does not name the hash of event %', NEW.tree_size, NEW.tree_size USING ERRCODE = 'WA001';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_checkpoints_chain AFTER INSERT ON warden.audit_checkpoints FOR EACH ROW EXECUTE FUNCTION warden.audit_checkpoint_check();

-- Insert-only: no UPDATE, DELETE or TRUNCATE, whoever asks (the owner included; a superuser who
-- disables the triggers is caught by the verifier).
CREATE FUNCTION warden.audit_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is insert-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP USING ERRCODE = 'WA002';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON warden.audit_events FOR EACH ROW EXECUTE FUNCTION warden.audit_insert_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON warden.audit_events FOR EACH STATEMENT EXECUTE FUNCTION warden.audit_insert_only();
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON warden.audit_checkpoints FOR EACH ROW EXECUTE FUNCTION warden.audit_insert_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON warden.audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION warden.audit_insert_only();

-- Roles (三权分立): the application appends and reads, the auditor reads, the system administrator
-- has nothing on the audit tables. Roles are cluster-wide and many databases may migrate at once:
-- creating one that another migration just created is not an error. A connecting user without
-- CREATEROLE gets a warning and no roles; the triggers above still hold.
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['warden_app', 'warden_auditor', 'warden_sysadmin'] LOOP
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE WARNING 'audit roles not created (no CREATEROLE): %', SQLERRM;
        RETURN;
    END;
  END LOOP;
  REVOKE ALL ON warden.audit_events, warden.audit_checkpoints FROM PUBLIC, warden_app, warden_auditor, warden_sysadmin;
  GRANT USAGE ON SCHEMA warden TO warden_app, warden_auditor, warden_sysadmin;
  GRANT SELECT, INSERT ON warden.audit_events, warden.audit_checkpoints TO warden_app;
  GRANT SELECT ON warden.audit_events, warden.audit_checkpoints TO warden_auditor;
END $$;
