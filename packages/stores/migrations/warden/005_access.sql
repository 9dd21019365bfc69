-- Access requests → approvals → grants, break-glass and its review tasks (issue 3 item 4).
-- Every time is written by the application from its clock (never now()): expiry is decided there.
-- The CHECK constraints back the rules of policies/approvals.yaml at their hard ceilings.

CREATE TABLE warden.access_requests (
  id             uuid PRIMARY KEY,
  requester_id   uuid NOT NULL REFERENCES warden.principals(id),
  patterns       text[] NOT NULL CHECK (cardinality(patterns) BETWEEN 1 AND 50),
  level          text NOT NULL CHECK (level IN ('L3', 'L4', 'L5')),
  purpose        text NOT NULL CHECK (length(btrim(purpose)) >= 10),
  mode           text NOT NULL CHECK (mode IN ('read', 'export')),
  row_cap        integer NOT NULL CHECK (row_cap > 0),
  duration_hours integer NOT NULL CHECK (duration_hours BETWEEN 1 AND 14 * 24),
  bulk_requested boolean NOT NULL DEFAULT false,
  state          text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'APPROVED', 'DENIED', 'CANCELLED', 'EXPIRED')),
  created_at     timestamptz NOT NULL,
  decided_at     timestamptz,
  decided_by     uuid REFERENCES warden.principals(id),
  reason         text,
  -- L5 data is never exported in bulk.
  CHECK (NOT (level = 'L5' AND mode = 'export' AND bulk_requested)),
  -- Decided exactly when no longer pending; a denial names who and why.
  CHECK ((state = 'PENDING') = (decided_at IS NULL)),
  CHECK (state <> 'DENIED' OR (decided_by IS NOT NULL AND reason IS NOT NULL))
);
CREATE INDEX access_requests_requester ON warden.access_requests (requester_id, created_at DESC);
CREATE INDEX access_requests_pending ON warden.access_requests (created_at) WHERE state = 'PENDING';

-- One approval per approver and request; mfa_at and session_id are the approver's MFA proof.
CREATE TABLE warden.approvals (
  request_id    uuid NOT NULL REFERENCES warden.access_requests(id),
  approver_id   uuid NOT NULL REFERENCES warden.principals(id),
  mfa_at        timestamptz NOT NULL,
  session_id    text NOT NULL CHECK (length(session_id) > 0),
  bulk_approved boolean NOT NULL DEFAULT false,
  note          text,
  at            timestamptz NOT NULL,
  UNIQUE (request_id, approver_id),
  -- The approver's MFA was proven at most 5 minutes before the approval.
  CHECK (mfa_at <= at AND at - mfa_at <= interval '5 minutes')
);

-- Nobody approves their own request, whatever the application does.
CREATE FUNCTION warden.approvals_not_self() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM warden.access_requests r WHERE r.id = NEW.request_id AND r.requester_id = NEW.approver_id) THEN
    RAISE EXCEPTION 'self-approval of access request %', NEW.request_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER approvals_not_self BEFORE INSERT OR UPDATE ON warden.approvals
  FOR EACH ROW EXECUTE FUNCTION warden.approvals_not_self();

CREATE TABLE warden.grants (
  id            uuid PRIMARY KEY,
  principal_id  uuid NOT NULL REFERENCES warden.principals(id),
  -- NULL for break-glass; one grant per approved request.
  request_id    uuid UNIQUE REFERENCES warden.access_requests(id),
  patterns      text[] NOT NULL CHECK (cardinality(patterns) BETWEEN 1 AND 50),
  level         text NOT NULL CHECK (level IN ('L3', 'L4', 'L5')),
  mode          text NOT NULL CHECK (mode IN ('read', 'export')),
  -- false: L4+ values are cleared one record at a time.
  bulk          boolean NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  revoked_by    uuid REFERENCES warden.principals(id),
  revoke_reason text,
  row_cap       integer NOT NULL CHECK (row_cap > 0),
  rows_used     integer NOT NULL DEFAULT 0 CHECK (rows_used >= 0),
  uses          integer NOT NULL DEFAULT 0 CHECK (uses >= 0),
  break_glass   boolean NOT NULL DEFAULT false,
  reason        text,
  created_at    timestamptz NOT NULL,
  CHECK (rows_used <= row_cap),
  CHECK (expires_at > created_at),
  -- Approved grants last at most 14 days; break-glass at most an hour, with a reason, below L5.
  CHECK (
    (NOT break_glass AND request_id IS NOT NULL AND expires_at <= created_at + interval '14 days')
    OR (break_glass AND request_id IS NULL AND reason IS NOT NULL AND level <> 'L5' AND expires_at <= created_at + interval '1 hour')
  ),
  CHECK (NOT (level = 'L5' AND mode = 'export' AND bulk)),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL) AND (revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX grants_principal_live ON warden.grants (principal_id, expires_at) WHERE revoked_at IS NULL;

-- Break-glass grants are reviewed afterwards by an officer who is not the holder.
CREATE TABLE warden.review_tasks (
  id        uuid PRIMARY KEY,
  grant_id  uuid NOT NULL UNIQUE REFERENCES warden.grants(id),
  kind      text NOT NULL CHECK (kind IN ('breakglass')),
  state     text NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'CLOSED')),
  opened_at timestamptz NOT NULL,
  closed_by uuid REFERENCES warden.principals(id),
  closed_at timestamptz,
  note      text,
  CHECK ((state = 'OPEN') = (closed_at IS NULL) AND (closed_at IS NULL) = (closed_by IS NULL))
);
CREATE INDEX review_tasks_open ON warden.review_tasks (opened_at) WHERE state = 'OPEN';
