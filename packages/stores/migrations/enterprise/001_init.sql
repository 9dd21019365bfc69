-- Enterprise store: registration, credit, tax, social insurance, qualifications, requests.
CREATE TABLE enterprises (
  id                  bigint PRIMARY KEY,
  uscc                text NOT NULL UNIQUE,
  name                text NOT NULL,
  enterprise_type     text NOT NULL,
  registered_capital  numeric(18,2) NOT NULL,
  founded_on          date NOT NULL,
  district            text NOT NULL,
  address             text NOT NULL,
  business_scope      text NOT NULL,
  industry_code       text NOT NULL,
  status              text NOT NULL,
  legal_rep_name      text NOT NULL,
  legal_rep_id_number text NOT NULL,
  legal_rep_mobile    text NOT NULL,
  contact_email       text,
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enterprises_district_id ON enterprises (district, id);

CREATE TABLE credit_records (
  id            bigint PRIMARY KEY,
  enterprise_id bigint NOT NULL REFERENCES enterprises(id),
  credit_score  integer NOT NULL,
  credit_grade  text NOT NULL,
  penalty_note  text,
  assessed_on   date NOT NULL
);
CREATE INDEX credit_records_enterprise ON credit_records (enterprise_id, id);

CREATE TABLE tax_records (
  id                    bigint PRIMARY KEY,
  enterprise_id         bigint NOT NULL REFERENCES enterprises(id),
  tax_year              integer NOT NULL,
  revenue               numeric(18,2) NOT NULL,
  tax_paid              numeric(18,2) NOT NULL,
  invoice_count         integer NOT NULL,
  individual_income_tax numeric(18,2) NOT NULL
);
CREATE INDEX tax_records_enterprise ON tax_records (enterprise_id, id);

CREATE TABLE social_insurance (
  id                 bigint PRIMARY KEY,
  enterprise_id      bigint NOT NULL REFERENCES enterprises(id),
  period             date NOT NULL,
  headcount          integer NOT NULL,
  total_contribution numeric(18,2) NOT NULL
);
CREATE INDEX social_insurance_enterprise ON social_insurance (enterprise_id, id);

CREATE TABLE employee_insurance (
  id                 bigint PRIMARY KEY,
  enterprise_id      bigint NOT NULL REFERENCES enterprises(id),
  employee_name      text NOT NULL,
  employee_id_number text NOT NULL,
  monthly_base       numeric(12,2) NOT NULL,
  period             date NOT NULL
);
CREATE INDEX employee_insurance_enterprise ON employee_insurance (enterprise_id, id);

CREATE TABLE qualifications (
  id                         bigint PRIMARY KEY,
  enterprise_id              bigint NOT NULL REFERENCES enterprises(id),
  cert_name                  text NOT NULL,
  cert_number                text NOT NULL,
  issuer                     text NOT NULL,
  issued_on                  date NOT NULL,
  expires_on                 date NOT NULL,
  qualified_person_name      text NOT NULL,
  qualified_person_id_number text NOT NULL
);
CREATE INDEX qualifications_enterprise ON qualifications (enterprise_id, id);

CREATE TABLE enterprise_requests (
  id                    bigint PRIMARY KEY,
  enterprise_id         bigint NOT NULL REFERENCES enterprises(id),
  category              text NOT NULL,
  request_text          text NOT NULL,
  contact_name          text NOT NULL,
  contact_mobile        text NOT NULL,
  complainant_id_number text,
  status                text NOT NULL,
  submitted_at          timestamptz NOT NULL
);
CREATE INDEX enterprise_requests_enterprise ON enterprise_requests (enterprise_id, id);
