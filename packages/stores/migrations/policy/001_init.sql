-- Policy store: national, provincial and municipal policy documents.
CREATE TABLE policy_documents (
  id                   bigint PRIMARY KEY,
  doc_number           text NOT NULL UNIQUE,
  title                text NOT NULL,
  issuer               text NOT NULL,
  admin_level          text NOT NULL,          -- national | provincial | municipal | district
  region               text NOT NULL,
  published_on         date NOT NULL,
  effective_from       date NOT NULL,
  expires_on           date,
  target               text NOT NULL,
  support_content      text NOT NULL,
  requirements         text NOT NULL,
  application_deadline date,
  tags                 text[] NOT NULL DEFAULT '{}',
  body                 text NOT NULL
);
CREATE INDEX policy_documents_region_id ON policy_documents (region, id);

-- Drafts and internal evaluations are L3 until published.
CREATE TABLE policy_drafts (
  id            bigint PRIMARY KEY,
  title         text NOT NULL,
  issuer        text NOT NULL,
  region        text NOT NULL,
  drafted_on    date NOT NULL,
  draft_body    text NOT NULL,
  internal_note text
);

CREATE TABLE policy_evaluations (
  id           bigint PRIMARY KEY,
  document_id  bigint NOT NULL REFERENCES policy_documents(id),
  evaluator    text NOT NULL,
  score        integer NOT NULL,
  assessment   text NOT NULL,
  evaluated_on date NOT NULL
);
