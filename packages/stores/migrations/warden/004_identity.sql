-- Human identity (issue 3 item 1): passwords, TOTP, sessions, failure counting and lockouts, alerts.
-- Every time is written by the application from its clock (never now()): expiry and lock windows are
-- decided there, so tests drive them with a fake clock.

-- password_hash: '$scrypt$ln=…,r=…,p=…$salt$hash'. totp_secret / totp_pending_secret: sealed
-- (AES-256-GCM, bound to the principal id), never plaintext. totp_last_step: the last accepted
-- TOTP step — a code of that step or an earlier one is a replay.
ALTER TABLE warden.principals
  ADD COLUMN password_hash       text,
  ADD COLUMN totp_secret         bytea,
  ADD COLUMN totp_pending_secret bytea,
  ADD COLUMN totp_enrolled_at    timestamptz,
  ADD COLUMN totp_last_step      bigint,
  ADD CONSTRAINT principals_password_user_only CHECK (password_hash IS NULL OR kind = 'user'),
  ADD CONSTRAINT principals_totp_enrolled CHECK ((totp_secret IS NULL) = (totp_enrolled_at IS NULL));

-- Sessions are found by the SHA-256 of their token; the token itself is never stored.
CREATE TABLE warden.sessions (
  token_hash           bytea PRIMARY KEY CHECK (length(token_hash) = 32),
  principal_id         uuid NOT NULL REFERENCES warden.principals(id),
  -- 'pwd', and 'otp' once a TOTP code was verified in this session.
  amr                  text[] NOT NULL,
  mfa_at               timestamptz,
  created_at           timestamptz NOT NULL,
  last_seen_at         timestamptz NOT NULL,
  idle_timeout_seconds integer NOT NULL CHECK (idle_timeout_seconds > 0),
  absolute_expires_at  timestamptz NOT NULL,
  revoked_at           timestamptz,
  CHECK (absolute_expires_at > created_at AND absolute_expires_at <= created_at + interval '12 hours')
);
CREATE INDEX sessions_principal ON warden.sessions (principal_id) WHERE revoked_at IS NULL;

-- Failed verifications per subject and factor: for 'password' the subject is a keyed hash of the
-- lower-cased login name (unknown names are counted and locked alike, and a password typed into
-- the name field is not kept); for 'totp' it is the principal id.
CREATE TABLE warden.auth_failures (
  id      bigserial PRIMARY KEY,
  subject text NOT NULL,
  factor  text NOT NULL CHECK (factor IN ('password', 'totp')),
  at      timestamptz NOT NULL
);
CREATE INDEX auth_failures_subject ON warden.auth_failures (subject, factor, at);

CREATE TABLE warden.lockouts (
  subject   text NOT NULL,
  factor    text NOT NULL CHECK (factor IN ('password', 'totp')),
  locked_at timestamptz NOT NULL,
  until     timestamptz NOT NULL CHECK (until > locked_at),
  PRIMARY KEY (subject, factor)
);

-- Security alerts (@warden/alerts): 'totp.replay', 'auth.lockout', 'access.breakglass', …
CREATE TABLE warden.alerts (
  id              bigserial PRIMARY KEY,
  ts              timestamptz NOT NULL,
  kind            text NOT NULL,
  severity        text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  principal_id    uuid REFERENCES warden.principals(id),
  subject         text,
  detail          jsonb NOT NULL DEFAULT '{}',
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES warden.principals(id)
);
CREATE INDEX alerts_open ON warden.alerts (ts DESC) WHERE acknowledged_at IS NULL;
CREATE INDEX alerts_kind ON warden.alerts (kind, ts DESC);
