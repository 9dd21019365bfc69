-- The serving gateway connects as a login in role warden_app (created by the runtime), not as the
-- owner: it reads and writes the control plane, appends to the audit tables and nothing more — it
-- cannot UPDATE, DELETE or TRUNCATE audit rows, nor switch the insert-only triggers off (only the
-- owner can ALTER a table). Without the roles (no CREATEROLE for the migrating user) this does nothing.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'warden_app') THEN
    RAISE WARNING 'role warden_app missing: the gateway keeps the owner''s connection';
    RETURN;
  END IF;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA warden TO warden_app;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA warden TO warden_app;
  REVOKE UPDATE, DELETE, TRUNCATE ON warden.audit_events, warden.audit_checkpoints FROM warden_app;
  -- Tables later migrations add: the same rights by default (a migration adding an insert-only table revokes).
  ALTER DEFAULT PRIVILEGES IN SCHEMA warden GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO warden_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA warden GRANT USAGE, SELECT ON SEQUENCES TO warden_app;
END $$;
