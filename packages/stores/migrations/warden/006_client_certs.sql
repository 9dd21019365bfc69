-- mTLS client certificates of service principals, issued by Warden's internal CA. A certificate
-- authenticates its principal only while it is listed here, unrevoked and within its validity:
-- the row, not the CA signature alone, binds it. Private keys are never stored.
CREATE TABLE warden.client_certificates (
  -- SHA-256 of the certificate's DER bytes, lowercase hex (fingerprintCertificate).
  fingerprint  text PRIMARY KEY CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  principal_id uuid NOT NULL REFERENCES warden.principals(id),
  serial       text NOT NULL,
  subject_cn   text NOT NULL,
  not_before   timestamptz NOT NULL,
  not_after    timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  -- Who revoked it, as the audit log names the actor (a principal's name, or os:<user> for the CLI).
  revoked_by   text,
  CHECK (not_after > not_before),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX client_certificates_principal ON warden.client_certificates (principal_id);

-- People never authenticate with certificates: only service principals may hold one.
CREATE FUNCTION warden.client_certificates_service_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM warden.principals WHERE id = NEW.principal_id AND kind = 'service') THEN
    RAISE EXCEPTION 'client certificates are for service principals only' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER client_certificates_service_only BEFORE INSERT OR UPDATE OF principal_id ON warden.client_certificates
  FOR EACH ROW EXECUTE FUNCTION warden.client_certificates_service_only();
