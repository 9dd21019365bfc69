-- Small facts about this installation, e.g. whether a data load finished.
CREATE TABLE warden.settings (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
